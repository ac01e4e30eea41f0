// Class-conditional diffusion with classifier-free guidance, through the real compiler and trainer
// on a tiny graph: label dropout while training, forced classes and the guidance scale when sampling.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelDropout } from '../../nodes/diffusion/label-dropout';
import type { SampleBatch } from '../../nodes/sampling';
import { nodeAssetReader } from '../../runtime/data/assets-node';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph } from '../../runtime/graph/load';
import { Trainer } from '../../runtime/train/trainer';
import { runContext } from './run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Points of the 8-Gaussian ring, denoised by an MLP that reads x_t, t and the (dropped-out) label. */
function conditionalRing(): GraphDocument {
  const at = (x: number, y: number) => ({ x: 230 * x, y: 190 * y });
  const nodes = [
    { id: 'data', type: 'dataset', position: at(0, 0), params: { dataset: 'ring' } },
    { id: 'schedule', type: 'noiseSchedule', position: at(0, 1), params: { kind: 'linear', T: 50, sampler: 'ddim', sampleSteps: 10 } },
    { id: 'noise', type: 'addNoise', position: at(1, 0), params: {} },
    { id: 'temb', type: 'timeEmbedding', position: at(1, 1), params: { dim: 8, mlp: false } },
    { id: 'drop', type: 'labelDropout', position: at(2, 1), params: { rate: 0.2 } },
    { id: 'cat', type: 'concat', position: at(3, 0), params: {} },
    { id: 'h', type: 'dense', position: at(4, 0), params: { units: 16, activation: 'silu' } },
    { id: 'out', type: 'dense', position: at(5, 0), params: { units: 2 } },
    { id: 'loss', type: 'noisePrediction', position: at(6, 0), params: {} },
  ];
  const wires: [string, string, string, string][] = [
    ['data', 'x', 'noise', 'x0'], ['schedule', 'schedule', 'noise', 'schedule'], ['noise', 't', 'temb', 'in'],
    ['data', 'label', 'drop', 'label'], ['noise', 'xt', 'cat', 'a'], ['temb', 'out', 'cat', 'b'], ['drop', 'out', 'cat', 'c'],
    ['cat', 'out', 'h', 'in'], ['h', 'out', 'out', 'in'], ['out', 'out', 'loss', 'pred'], ['noise', 'eps', 'loss', 'eps'],
  ];
  const edges = wires.map(([source, sourceHandle, target, targetHandle], i) => ({ id: `e${i}`, source, sourceHandle, target, targetHandle }));
  const raw = { format: 'genloom.graph', version: 1, name: 'conditional ring', nodes, edges, training: { batchSize: 32, steps: 10, seed: 3, sampleEvery: 0, evalEvery: 0 } };
  // Loaded as a file is, so the training settings it leaves out get their defaults.
  const { doc, diagnostics } = parseGraph(JSON.stringify(raw));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return doc!;
}

function points(r: { batch: SampleBatch }): number[] {
  if (r.batch.kind !== 'points') throw new Error(`expected points, got ${r.batch.kind}`);
  expect(r.batch.data.every(Number.isFinite)).toBe(true);
  return Array.from(r.batch.data);
}

describe('label dropout', () => {
  it('zeroes about `rate` of the labels while training and none otherwise', () => {
    const label = tf.oneHot(tf.tensor1d(Array.from({ length: 2000 }, (_, i) => i % 4), 'int32'), 4).toFloat();
    const kept = (mode: 'train' | 'eval') => {
      const { out } = labelDropout.run!(runContext(labelDropout, { label }, { mode, params: { rate: 0.25 } })) as { out: tf.Tensor };
      const n = tf.tidy(() => tf.sum(out).dataSync()[0]);
      out.dispose();
      return n;
    };
    expect(kept('eval')).toBe(2000);
    expect(Math.abs(kept('train') / 2000 - 0.75)).toBeLessThan(0.04);
    label.dispose();
  });

  it('wants one-hot labels with two classes or more', () => {
    expect(() => labelDropout.inferShapes({ label: [null, 4, 4] }, { rate: 0.1 })).toThrow(/\[batch, classes\].*got \[batch, 4, 4\]/);
    expect(() => labelDropout.inferShapes({ label: [null, 1] }, { rate: 0.1 })).toThrow(/at least 2 classes/);
  });
});

describe('classifier-free guidance', () => {
  it('scale 0 samples the unconditional model whatever the class; scale 1 and 3 follow the class', async () => {
    const trainer = new Trainer({ reader: nodeAssetReader() });
    const loaded = await trainer.load(conditionalRing());
    expect(loaded.ok).toBe(true);
    await trainer.step(10);
    const before = tf.memory().numTensors;
    const count = 16;
    const draw = async (guidance: number, cls: number) => points(await trainer.sample({ count, seed: 5, guidance, classes: Array(count).fill(cls) }));

    // Scale 0 is the no-class prediction alone: asking for class 0 or 5 gives the same points.
    const u0 = await draw(0, 0);
    expect(await draw(0, 5)).toEqual(u0);
    // Scale 1 is the conditional model, which does read the class.
    const c0 = await draw(1, 0);
    const c5 = await draw(1, 5);
    const gap = c0.reduce((s, v, i) => s + Math.abs(v - c5[i]), 0);
    expect(gap).toBeGreaterThan(1e-3);
    expect(c0).not.toEqual(u0);
    // A larger scale moves samples further from the unconditional ones.
    const g3 = await draw(3, 0);
    const dist = (a: number[]) => a.reduce((s, v, i) => s + Math.abs(v - u0[i]), 0);
    expect(dist(g3)).toBeGreaterThan(dist(c0));
    // The default grid asks for one class per row, and the batch does not carry classes for points.
    const grid = await trainer.sample({ count: 16, seed: 5 });
    expect(grid.batch.kind).toBe('points');
    expect(tf.memory().numTensors).toBe(before);
    await expect(trainer.sample({ count: 2, seed: 1, classes: [0, 8] })).rejects.toThrow(/class 8 does not exist/);
    trainer.dispose();
  });
});
