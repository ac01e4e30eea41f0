// The WGAN-GP example: the gradient penalty (a gradient of a gradient, through the critic's
// LeakyReLUs) runs on wasm, and it does its job: the critic's gradient norm at points between
// real and generated data moves from its initial scale to about 1 and stays there.
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

describe('WGAN-GP on the 5×5 grid', () => {
  it('plans 5 critic steps per generator step and the penalty holds the critic gradient norm near 1', async () => {
    const trainer = await loadTrainer(variant(loadExample('wgan-grid.json'), { batchSize: 64 }));
    expect(trainer.compiled!.phases.map((p) => [p.name, p.repeat])).toEqual([['critic', 5], ['main', 1]]);
    const data = (await prepareData(trainer.compiled!, nodeAssets, 7)).batcher;
    const before = criticGradNorm(trainer, data, 256);
    await trainer.step(1);
    const tensors = tf.memory().numTensors;
    // The critic overshoots while the generator is still far off; let it settle first.
    await trainer.step(20);
    const norms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const losses = await trainer.step(20);
      for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
      norms.push(criticGradNorm(trainer, data, 256));
    }
    console.log(`wgan-grid: critic gradient norm ${before.toFixed(3)} at init → ${norms.map((x) => x.toFixed(3)).join(', ')} after 41, 61, 81 steps`);
    expect(tf.memory().numTensors).toBe(tensors);
    // Untrained, the critic is far flatter than 1-Lipschitz; trained with the penalty it is not.
    expect(before).toBeLessThan(0.5);
    for (const x of norms) expect(Math.abs(x - 1)).toBeLessThan(0.5);
    expect(Math.abs(norms.reduce((a, b) => a + b, 0) / norms.length - 1)).toBeLessThan(0.25);
    trainer.dispose();
  });
});
