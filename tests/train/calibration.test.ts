// A discriminator's calibration: after the run's own steps the adversarial loss trains the
// discriminator alone, at its own constant rate, so rejection sampling reads a sharper density ratio.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../runtime/graph/document';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { graphParts } from '../../runtime/export/pytorch/parts';
import { graphHash } from '../../runtime/train/graph-hash';
import { Trainer } from '../../runtime/train/trainer';
import { smallCgan, smallRingGan } from '../cli/fixtures';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function calibrated(steps: number, calibrationSteps: number): GraphDocument {
  const doc = smallRingGan();
  doc.training = { ...doc.training, steps, lrSchedule: 'cosine' };
  for (const n of doc.nodes) if (n.type === 'adversarial') n.params = { ...n.params, calibrationSteps, calibrationLr: 3e-3 };
  return doc;
}

const weightsOf = (trainer: Trainer, network: string): number[] =>
  trainer.compiled!.networks.find((n) => n.name === network)!.model.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('discriminator calibration', () => {
  it('plans a calibrate phase for the discriminator alone, only when asked for', () => {
    const off = compile(calibrated(5, 0)).compiled!;
    expect(off.phases.map((p) => p.stage)).not.toContain('calibrate');
    off.dispose();
    const on = compile(calibrated(5, 7)).compiled!;
    const phase = on.phases.find((p) => p.stage === 'calibrate');
    expect(phase).toMatchObject({ name: 'critic', steps: 7, networks: ['discriminator'] });
    expect(phase?.optimizer.learningRate).toBe(3e-3);
    on.dispose();
  });

  it('runs after the run’s steps: the generator stays as it was, the discriminator moves', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    // The compiled graph says where calibration begins, so the page need not read it off a graph the user may have edited since.
    const from = new Set<number | undefined>();
    trainer.subscribe((e) => e.type === 'compiled' && from.add(e.calibrationFrom));
    expect((await trainer.load(calibrated(3, 4))).ok).toBe(true);
    expect([...from]).toEqual([3]);
    expect(trainer.runLength).toBe(7);
    await trainer.train(3);
    const g = weightsOf(trainer, 'generator');
    const d = weightsOf(trainer, 'discriminator');
    // The calibration optimizer's slots are made at its first step; none after it.
    await trainer.train(4);
    const tensors = tf.memory().numTensors;
    await trainer.train();
    expect(trainer.status).toMatchObject({ step: 7, state: 'done' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(weightsOf(trainer, 'generator')).toEqual(g);
    expect(weightsOf(trainer, 'discriminator')).not.toEqual(d);
    // Only the discriminator's calibration trains now, and only its loss is reported.
    expect(Object.keys(trainer.status.losses)).toEqual(['loss.calibration']);
    trainer.dispose();
  });

  it('leaves a batch-norm generator’s running statistics as they were: it draws as at sampling', async () => {
    const doc = smallCgan();
    for (const n of doc.nodes) if (n.type === 'adversarial') n.params = { ...n.params, calibrationSteps: 3 };
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(doc)).ok).toBe(true);
    await trainer.train(2);
    const g = weightsOf(trainer, 'generator');
    const d = weightsOf(trainer, 'discriminator');
    await trainer.train();
    expect(trainer.status).toMatchObject({ step: 5, state: 'done' });
    expect(weightsOf(trainer, 'generator')).toEqual(g);
    expect(weightsOf(trainer, 'discriminator')).not.toEqual(d);
    trainer.dispose();
  });

  it('reports no calibration for a run without it', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const events: unknown[] = [];
    trainer.subscribe((e) => e.type === 'compiled' && events.push(e));
    expect((await trainer.load(calibrated(2, 0))).ok).toBe(true);
    expect(events.length).toBe(1);
    for (const e of events) expect(e).not.toHaveProperty('calibrationFrom');
    trainer.dispose();
  });

  it('trains at its own constant rate where the run’s cosine schedule has reached 0', async () => {
    // With the run's schedule the rate at steps past the end would be 0 and the discriminator would not move.
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(calibrated(2, 1))).ok).toBe(true);
    await trainer.train(2);
    const d = weightsOf(trainer, 'discriminator');
    await trainer.train();
    const moved = weightsOf(trainer, 'discriminator').reduce((m, w, i) => Math.max(m, Math.abs(w - d[i])), 0);
    // Adam's first step moves each weight by about its learning rate.
    expect(moved).toBeGreaterThan(1e-3);
    expect(moved).toBeLessThan(1e-2);
    trainer.dispose();
  });

  it('calibrates a run trained without it, resumed from its checkpoint', async () => {
    // Calibration changes nothing before the run's last step, so the checkpoint's graph hash ignores it.
    expect(graphHash(calibrated(3, 2))).toBe(graphHash(calibrated(3, 0)));
    expect(graphHash(calibrated(4, 0))).not.toBe(graphHash(calibrated(3, 0)));
    const plain = new Trainer({ reader: nodeAssets });
    expect((await plain.load(calibrated(3, 0))).ok).toBe(true);
    await plain.train();
    const ck = await plain.checkpoint();
    const g = weightsOf(plain, 'generator');
    plain.dispose();
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(calibrated(3, 2))).ok).toBe(true);
    await trainer.resume(ck);
    expect(trainer.status.step).toBe(3);
    await trainer.train();
    expect(trainer.status).toMatchObject({ step: 5, state: 'done' });
    expect(weightsOf(trainer, 'generator')).toEqual(g);
    expect(trainer.status.losses['loss.calibration']).toBeGreaterThan(0);
    trainer.dispose();
  });

  it('is left out of the PyTorch export, as rejection sampling is', () => {
    const { parts } = graphParts(calibrated(5, 7));
    expect(parts?.phases.map((p) => `${p.stage}:${p.name}`)).toEqual(['base:critic', 'base:main']);
  });
});
