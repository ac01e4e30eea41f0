// LeakyRelu, Greater, Select, Sum and Mean on wasm (our loops, and the shipped kernels they fall
// back to) against the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, gradsOf, rand, runOn, setupBackends } from './parity';

beforeAll(setupBackends);

// Large enough (≥ 1024 elements) to take our paths, odd sizes to catch off-by-one loops.
const BIG = [3, 7, 9, 11];

describe('leakyRelu on wasm matches cpu', () => {
  it.each([0.2, 0, 1, 1.5])('forward and gradient, alpha %s', async (alpha) => {
    await expectParity(`leakyRelu ${alpha}`, [rand(BIG, 1)], gradsOf((x) => tf.leakyRelu(x, alpha)));
  });
  it('small tensors (shipped kernel)', async () => {
    await expectParity('leakyRelu small', [rand([2, 3], 2)], gradsOf((x) => tf.leakyRelu(x, 0.3)));
  });
});

describe('greater and where on wasm match cpu', () => {
  it('against a scalar, a same-shape tensor and a broadcast row', async () => {
    await expectParity('greater', [rand(BIG, 3), rand(BIG, 4), rand([11], 5)], (a, b, row) => [
      tf.cast(tf.greater(a, 0.25), 'float32'),
      tf.cast(tf.greater(a, b), 'float32'),
      tf.cast(tf.greater(a, row), 'float32'),
    ]);
  });
  it('where with a same-shape condition and a broadcast one', async () => {
    await expectParity('where', [rand(BIG, 6), rand(BIG, 7), rand([11], 8)], (a, b, row) => [
      tf.where(tf.greater(a, b), a, b),
      tf.where(tf.greater(a, 0), tf.mul(a, 2), b),
      tf.where(tf.greater(row, 0), a, b),
    ]);
  });
  it('keeps exact values (a mask picks, it does not blend)', async () => {
    const [out] = await runOn('wasm', [rand(BIG, 9)], (a) => tf.where(tf.greater(a, 0), a, tf.zerosLike(a)));
    const ref = await runOn('cpu', [rand(BIG, 9)], (a) => tf.relu(a));
    expect(Array.from(out.values)).toEqual(Array.from(ref[0].values));
  });
});

describe('sum and mean on wasm match cpu', () => {
  const axesCases: (number | number[])[] = [[0, 1, 2], [0], [0, 1], [1, 0], 0, [1, 2], [3], [0, 1, 2, 3], [2, 0, 1]];
  it.each(axesCases)('axes %s, with and without keepDims', async (axis) => {
    await expectParity(`reduce ${axis}`, [rand(BIG, 10)], (x) => [
      tf.sum(x, axis), tf.mean(x, axis), tf.sum(x, axis, true), tf.mean(x, axis, true),
    ]);
  });
  it('negative axes and gradients through batch-norm moments', async () => {
    await expectParity('moments', [rand(BIG, 11)], gradsOf((x) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
    }), 1e-3);
    await expectParity('negative axes', [rand(BIG, 12)], (x) => [tf.sum(x, [-4, -3]), tf.mean(x, [-4, -3, -2])]);
  });
});

describe('identity on wasm shares memory safely', () => {
  it('a clone outlives its source, and freeing both frees the memory', async () => {
    await setupBackends();
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const c = tf.clone(x);
    const v = tf.variable(c);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3, 4]);
    c.dispose();
    const doubled = tf.mul(v, 2);
    v.assign(doubled);
    doubled.dispose();
    expect(Array.from(v.dataSync())).toEqual([2, 4, 6, 8]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
