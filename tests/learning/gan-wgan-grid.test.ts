// The WGAN-GP example: the gradient penalty (a gradient of a gradient, through the critic's
// LeakyReLUs) runs on wasm, and it does its job. At λ = 1 the critic's gradient norm at points
// between real and generated data moves from its initial scale to about 1 and stays there; at the
// example's λ = 0.1 (the paper's value for toy sets) it is held to a small multiple of 1 (measured
// 1.45–2.33 from 41 to 800 steps at batch 64), steeper than λ = 1 allows.
// The example does not yet find the 25 modes in a CI-sized run, so nothing here asserts coverage.
// Measured on wasm (modeCoverage on 1,000 samples drawn with seed 3, ~15 steps/s at batch 256):
// λ = 0.1, training seed 1: 0/25 modes with 11.1% of samples within 3σ of a centre at 1000 steps,
// 0/25 15.8% at 2000, 1/25 16.8% at 3000, 2/25 20.7% at 3500; seed 2: 0/25 9.8%, 1/25 13.5%,
// 1/25 18.3%, 0/25 15.6%. λ = 1 (the former setting) stayed at 0/25 with 5–7%, what an even spread
// gives. At 2000 steps, seed 1: ReLU in both nets 0/25 14.3%, generator width 512 1/25 16.7%,
// ReLU in the generator only 0/25 17.7%, Adam 2e-3 1/25 13.3%, critic Adam 2e-3 0/25 15.5%, generator
// Adam 2e-4 0/25 8.7%, λ = 0.01 0/25 13.2%, batch 512 1/25 19.4% (but 9 steps/s instead of 15).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataBatcher } from '../../nodes/types';
import { nodeAssets } from '../../runtime/data/assets-node';
import { prepareData } from '../../runtime/train/data-source';
import { Evaluator } from '../../runtime/train/evaluator';
import type { Trainer } from '../../runtime/train/trainer';
import { loadExample, loadTrainer, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

/** Mean ‖∇ₓ D(x̂)‖ over x̂ between a held-out real batch and a generated batch. */
function criticGradNorm(trainer: Trainer, data: DataBatcher, n: number): number {
  const g = trainer.compiled!;
  return tf.tidy(() => {
    const ev = new Evaluator(g, { mode: 'eval', batchSize: n, step: 0, data, salt: 99, seed: 1 });
    const critic = ev.context('loss').groupBehind('real')!;
    const real = critic.input('real');
    const fake = critic.input('fake');
    const eps = tf.randomUniform([n, 1], 0, 1, 'float32', 4);
    const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
    const grad = tf.grad((x: tf.Tensor) => tf.sum(critic.apply(x)))(xHat);
    return tf.mean(tf.sqrt(tf.sum(tf.square(grad), 1))).dataSync()[0];
  });
}

/** The critic's gradient norm at init and after 41, 61, 81 steps (then 181, 281, 381 if `long`). */
async function normsOf(gpWeight: number, long: boolean): Promise<{ before: number; norms: number[] }> {
  // On the grid of spacing 1, where these norms were measured: on the example's wider published grid
  // (spacing 2) the critic's first overshoot is larger (8.3 at step 41 at λ = 0.1) before it settles.
  const trainer = await loadTrainer(variant(loadExample('wgan-grid.json'), { batchSize: 64 }, { loss: { gpWeight }, data: { gridSpacing: 1 } }));
  expect(trainer.compiled!.phases.map((p) => [p.name, p.repeat])).toEqual([['critic', 5], ['main', 1]]);
  const data = (await prepareData(trainer.compiled!, nodeAssets, 7)).batcher;
  const before = criticGradNorm(trainer, data, 256);
  await trainer.step(1);
  const tensors = tf.memory().numTensors;
  // The critic overshoots while the generator is still far off; let it settle first.
  await trainer.step(20);
  const norms: number[] = [];
  for (const n of long ? [20, 20, 20, 100, 100, 100] : [20, 20, 20]) {
    const losses = await trainer.step(n);
    for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    norms.push(criticGradNorm(trainer, data, 256));
  }
  expect(tf.memory().numTensors).toBe(tensors);
  trainer.dispose();
  console.log(`wgan-grid λ = ${gpWeight}: critic gradient norm ${before.toFixed(3)} at init → ${norms.map((x) => x.toFixed(3)).join(', ')}`);
  return { before, norms };
}

describe('WGAN-GP on the 5×5 grid', () => {
  it('plans 5 critic steps per generator step and the penalty at λ = 1 holds the critic gradient norm near 1', async () => {
    const { before, norms } = await normsOf(1, false);
    // Untrained, the critic is far flatter than 1-Lipschitz; trained with the penalty it is not.
    expect(before).toBeLessThan(0.5);
    for (const x of norms) expect(Math.abs(x - 1)).toBeLessThan(0.5);
    expect(Math.abs(norms.reduce((a, b) => a + b, 0) / norms.length - 1)).toBeLessThan(0.25);
  });

  it("at the example's λ = 0.1 the critic grows steeper than at λ = 1, yet the penalty still bounds it", async () => {
    expect(loadExample('wgan-grid.json').nodes.find((n) => n.id === 'loss')!.params.gpWeight).toBe(0.1);
    const { before, norms } = await normsOf(0.1, true);
    expect(before).toBeLessThan(0.5);
    const settled = norms.slice(3);
    for (const x of settled) expect(x).toBeGreaterThan(1.2);
    for (const x of norms) expect(x).toBeLessThan(3.5);
  });
});
