// Group norm's own gradient against autodiff through tf.moments, the textbook formula it replaces.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { groupNormOp } from '../../nodes/layers/group-norm-op';

function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, groups: number, epsilon: number): tf.Tensor {
  const c = x.shape[x.rank - 1];
  const grouped = tf.reshape(x, [x.shape[0], -1, groups, c / groups]);
  const { mean, variance } = tf.moments(grouped, [1, 3], true);
  const normed = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, epsilon)));
  return tf.add(tf.mul(tf.reshape(normed, x.shape), gamma), beta);
}

/** Value and gradients of Σ w·f(x, γ, β) for a fixed random weighting w, so every output counts differently. */
function valueAndGrads(f: typeof reference, shape: number[], groups: number): { y: number[]; grads: number[][] } {
  return tf.tidy(() => {
    const c = shape[shape.length - 1];
    // Channels on different scales and offsets, so a group's statistics are far from 0 and 1.
    const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 7), tf.linspace(0.5, 20, c)), tf.linspace(-3, 3, c));
    const gamma = tf.randomNormal([c], 1, 0.5, 'float32', 8);
    const beta = tf.randomNormal([c], 0, 0.5, 'float32', 9);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 10);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(w, f(a, g, b, groups, 1e-5)));
    const grads = tf.grads(loss)([x, gamma, beta]);
    return {
      y: Array.from(f(x, gamma, beta, groups, 1e-5).dataSync()),
      grads: grads.map((g) => Array.from(g.dataSync())),
    };
  });
}

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i])));
  expect(worst / scale, what).toBeLessThan(1e-4);
}

describe('groupNormOp', () => {
  it.each([
    ['images, 4 groups of 2 channels', [3, 5, 5, 8], 4],
    ['images, one group (layer norm over positions and channels)', [2, 3, 3, 6], 1],
    ['images, a group per channel (instance norm)', [2, 4, 4, 3], 3],
    ['vectors', [4, 12], 3],
  ] as [string, number[], number][])('%s: the same values and gradients as autodiff through tf.moments', (_name, shape, groups) => {
    const before = tf.memory().numTensors;
    const ours = valueAndGrads(groupNormOp as typeof reference, shape, groups);
    const ref = valueAndGrads(reference, shape, groups);
    expectClose(ours.y, ref.y, 'value');
    ['x', 'gamma', 'beta'].forEach((name, i) => expectClose(ours.grads[i], ref.grads[i], `gradient of ${name}`));
    expect(tf.memory().numTensors).toBe(before);
  });
});
