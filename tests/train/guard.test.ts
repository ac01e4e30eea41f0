// The divergence guard: a run whose learning rate is far too high stops at the first step whose loss
// or gradients are not finite, before that step's update, and keeps finite weights.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { DivergenceError } from '../../runtime/train/guard';
import { makePhaseStates, trainStep } from '../../runtime/train/step';
import type { TrainerEvent } from '../../runtime/train/events';
import { Trainer } from '../../runtime/train/trainer';
import { vaeDoc } from '../compiler/docs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const weightsOf = (t: Trainer) => t.compiled!.networks.flatMap((n) => n.model.getWeights().map((w) => Array.from(w.dataSync())));
const allFinite = (ws: number[][]) => ws.every((w) => w.every(Number.isFinite));

async function diverging(): Promise<{ trainer: Trainer; events: TrainerEvent[] }> {
  const trainer = new Trainer({ reader: nodeAssets });
  const events: TrainerEvent[] = [];
  trainer.subscribe((e) => events.push(e));
  const doc = vaeDoc(true);
  doc.training = { ...doc.training, learningRate: 1e4, steps: 200, batchSize: 8 };
  const loaded = await trainer.load(doc);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { trainer, events };
}

describe('divergence guard', () => {
  it('stops a learning rate of 1e4 at the first non-finite step, with finite weights and a message that says what to do', async () => {
    const { trainer, events } = await diverging();
    await trainer.train();
    const stopped = trainer.status.step;
    const before = tf.memory().numTensors;
    expect(stopped).toBeLessThan(200);
    expect(trainer.status.state).toBe('paused');
    const error = events.find((e) => e.type === 'error');
    if (error?.type !== 'error' || !error.divergence) throw new Error(`no divergence event: ${JSON.stringify(events.slice(-3))}`);
    const d = error.divergence;
    // Stopped at the very step that went bad: its number is the count of steps applied.
    expect(d.step).toBe(stopped);
    expect(error.message).toContain(`step ${stopped + 1}`);
    expect(error.message).toContain(d.objectives[0]);
    expect(error.message).toMatch(/lower learning rate/);
    expect(error.message).toMatch(/gradient clipping/);
    // The losses reported before the stop were all finite.
    for (const e of events) if (e.type === 'progress') expect(Object.values(e.losses).every(Number.isFinite)).toBe(true);
    // The weights kept are finite.
    const kept = weightsOf(trainer);
    expect(allFinite(kept)).toBe(true);
    // Replaying the refused step refuses it again and leaves the weights untouched: nothing was applied.
    const graph = trainer.compiled!;
    const states = makePhaseStates(graph);
    const data = (trainer as unknown as { data: { batcher: Parameters<typeof trainStep>[1]['data'] } }).data.batcher;
    const ctx = { graph, data, batchSize: 8, seed: graph.doc.training.seed, step: stopped };
    expect(() => trainStep(states, ctx)).toThrow(DivergenceError);
    expect(weightsOf(trainer)).toEqual(kept);
    states.forEach((s) => s.optimizer.dispose());
    // No tensor outlives the refused step.
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('trains on after the learning rate is lowered', async () => {
    const { trainer } = await diverging();
    await trainer.train();
    const stopped = trainer.status.step;
    expect(trainer.divergence?.step).toBe(stopped);
    // The same graph from its start, its rate lowered a millionfold, runs past the step that diverged.
    const fresh = await diverging();
    const rates = fresh.trainer.scaleLearningRate(1e-6);
    expect(Object.values(rates)[0]).toBeCloseTo(1e-2, 8);
    await fresh.trainer.train(stopped + 5);
    expect(fresh.trainer.status.step).toBe(stopped + 5);
    expect(fresh.trainer.divergence).toBeNull();
    expect(allFinite(weightsOf(fresh.trainer))).toBe(true);
    trainer.dispose();
    fresh.trainer.dispose();
  });
});
