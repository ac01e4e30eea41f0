// REINFORCE with a per-token KL penalty: the estimator against the closed-form gradients of a
// one-token categorical policy, the KL-to-go of each token, and one step on a character GPT.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reinforceAdvantages, reinforceSurrogate } from '../../nodes/feedback/reinforce';
import { Rng } from '../../nodes/rng';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { reinforceGptDoc } from './graphs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const softmax = (v: number[]) => {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** N draws from a categorical, seeded. */
function draws(p: number[], n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    let u = rng.next();
    for (let k = 0; k < p.length; k++) if ((u -= p[k]) < 0) return k;
    return p.length - 1;
  });
}

/** The surrogate's gradient for a one-token policy with logits θ, on sampled tokens y. */
function surrogateGrad(theta: number[], ref: number[], y: number[], reward: number[], beta: number): number[] {
  return tf.tidy(() => {
    const th = tf.tensor1d(theta);
    const refLogp = tf.logSoftmax(tf.tensor1d(ref));
    const yt = tf.tensor1d(y, 'int32');
    const refAt = tf.gather(refLogp, yt).dataSync();
    const logpNow = tf.gather(tf.logSoftmax(th), yt).dataSync();
    const adv = reinforceAdvantages(logpNow, refAt, new Float32Array(y.length).fill(1), reward, 1, beta);
    const g = tf.grad((x: tf.Tensor) => {
      const logp = tf.reshape(tf.sum(tf.mul(tf.oneHot(yt, theta.length), tf.logSoftmax(x)), -1), [y.length, 1]) as tf.Tensor2D;
      return reinforceSurrogate(logp, tf.tensor2d(adv, [y.length, 1]));
    })(th);
    return Array.from(g.dataSync());
  });
}

describe('REINFORCE estimator', () => {
  const theta = [0.4, -0.3, 1.1, 0];
  const p = softmax(theta);
  const N = 40_000;

  it('follows −π_k (r_k − E r) / sd(r), the closed-form gradient of the whitened expected reward', () => {
    const r = [1, 0, -0.5, 2];
    const mean = p.reduce((s, pk, k) => s + pk * r[k], 0);
    const sd = Math.sqrt(p.reduce((s, pk, k) => s + pk * (r[k] - mean) ** 2, 0));
    const y = draws(p, N, 7);
    const before = tf.memory().numTensors;
    const g = surrogateGrad(theta, theta, y, y.map((k) => r[k]), 0);
    expect(tf.memory().numTensors).toBe(before);
    const expected = p.map((pk, k) => (-pk * (r[k] - mean)) / sd);
    g.forEach((gk, k) => expect(Math.abs(gk - expected[k])).toBeLessThan(0.02));
    // The most rewarded token is pushed up the most (descending the loss raises its logit).
    expect(g.indexOf(Math.min(...g))).toBe(3);
  });

  it('with equal rewards, follows β ∇KL(π ‖ π_ref) = β π_k (log π_k/ref_k − KL): back toward the reference', () => {
    const ref = [0, 0, 0, 0];
    const q = softmax(ref);
    const kl = p.reduce((s, pk, k) => s + pk * Math.log(pk / q[k]), 0);
    const beta = 0.5;
    const y = draws(p, N, 11);
    const g = surrogateGrad(theta, ref, y, y.map(() => 1), beta);
    const expected = p.map((pk, k) => beta * pk * (Math.log(pk / q[k]) - kl));
    g.forEach((gk, k) => expect(Math.abs(gk - expected[k])).toBeLessThan(0.01));
    // A step down this gradient lowers the logit the policy favours most over the uniform reference.
    expect(g[2]).toBeGreaterThan(0);
  });

  it("sums each token's KL to the end of its name, and skips padding", () => {
    // Two names of T = 3: the second ends after 2 tokens.
    const logp = [-1, -2, -0.5, -1, -1, 0];
    const ref = [-1.5, -2, -1, -0.5, -2, 0];
    const mask = [1, 1, 1, 1, 1, 0];
    const adv = reinforceAdvantages(logp, ref, mask, [3, 1], 3, 2);
    // Rewards 3 and 1: leave-one-out baselines 1 and 3, spread √2.
    const fromReward = [2 / Math.SQRT2, -2 / Math.SQRT2];
    const k = logp.map((l, i) => l - ref[i]);
    const expected = [
      fromReward[0] - 2 * (k[0] + k[1] + k[2]), fromReward[0] - 2 * (k[1] + k[2]), fromReward[0] - 2 * k[2],
      fromReward[1] - 2 * (k[3] + k[4]), fromReward[1] - 2 * k[4], 0,
    ];
    Array.from(adv).forEach((a, i) => expect(a).toBeCloseTo(expected[i], 5));
  });

  it('refuses log-probabilities that do not match the rewards', () => {
    expect(() => reinforceAdvantages([0, 0, 0], [0, 0, 0], [1, 1, 1], [1, 2], 2, 0.1)).toThrow(/2 × 2 token log-probabilities/);
  });
});

describe('REINFORCE on a character GPT', () => {
  it('draws names inside the step, moves the policy and leaves the reference and reward model fixed', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const res = await trainer.load(reinforceGptDoc());
    expect(res.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    const pool = trainer.preferencePools.get('prefs')!;
    pool.set = { ...pool.set, pairs: [{ chosen: 'anna', rejected: 'bob', rater: 'ends-in-a' }, { chosen: 'eva', rejected: 'tom', rater: 'ends-in-a' }] };
    const graph = trainer.compiled!;
    const policy = graph.networks.find((x) => graph.references.copies.has(x.name))!;
    const reward = graph.networks.find((x) => x.role === 'reward')!;
    const snapshot = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    const refBefore = snapshot(graph.references.copies.get(policy.name)!.model);
    const policyBefore = snapshot(policy.model);
    const rewardBefore = snapshot(reward.model);
    trainer.setStage('policy');
    await trainer.step(1);
    const before = tf.memory().numTensors;
    const losses = await trainer.step(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.values(losses).every(Number.isFinite)).toBe(true);
    expect(snapshot(policy.model)).not.toEqual(policyBefore);
    expect(snapshot(graph.references.copies.get(policy.name)!.model)).toEqual(refBefore);
    expect(snapshot(reward.model)).toEqual(rewardBefore);
    trainer.dispose();
  }, 120_000);
});
