// The U-Net building blocks: group norm, the time-conditioned residual block and spatial attention,
// each through the layer harness (shapes, values, counts, save/load, leaks) and on what it computes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resBlock } from '../../nodes/diffusion/res-block';
import { spatialAttention } from '../../nodes/diffusion/spatial-attention';
import { groupNorm } from '../../nodes/layers/group-norm';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import { buildAlone, checkLayerNode, setRandomWeights } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = <P extends Record<string, unknown>>(def: Parameters<typeof resolveParams>[0], raw: P) => resolveParams(def, raw).params as never;

describe('groupNorm', () => {
  it('is registered and passes the layer checks on images and vectors', async () => {
    expect(getNodeDef('groupNorm')).toBe(groupNorm);
    expect(await checkLayerNode(groupNorm, { groups: 2 }, { in: [null, 4, 4, 6] })).toEqual({ out: [null, 4, 4, 6] });
    expect(await checkLayerNode(groupNorm, { groups: 4 }, { in: [null, 8] })).toEqual({ out: [null, 8] });
  });

  it('gives each group of each example mean 0 and variance 1 before scale and shift', () => {
    const { model } = buildAlone(groupNorm, { groups: 2, epsilon: 1e-5 }, { in: [null, 3, 3, 4] });
    // Groups on very different scales, and a second example unlike the first: statistics must not mix.
    const x = tf.tidy(() => tf.mul(tf.randomNormal([2, 3, 3, 4], 1, 1, 'float32', 3), tf.tensor1d([1, 1, 50, 50])));
    const y = model.predict(x) as tf.Tensor;
    const values = y.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++)
      for (const channels of [[0, 1], [2, 3]]) {
        const v = values[b].flat().flatMap((px) => channels.map((c) => px[c]));
        const mean = v.reduce((s, a) => s + a, 0) / v.length;
        const variance = v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length;
        expect(mean).toBeCloseTo(0, 4);
        expect(variance).toBeCloseTo(1, 3);
      }
    tf.dispose([x, y]);
    model.dispose();
  });

  it('names channels that the groups do not divide', () => {
    expect(() => groupNorm.inferShapes({ in: [null, 4, 4, 6] }, params(groupNorm, { groups: 4 }))).toThrow(/divisible by groups = 4, got 6/);
    expect(() => groupNorm.inferShapes({ in: [null] }, params(groupNorm, {}))).toThrow(/\[batch, …, channels\]/);
  });
});

describe('resBlock', () => {
  it('passes the layer checks with and without a time embedding, keeping or changing channels', async () => {
    expect(getNodeDef('resBlock')).toBe(resBlock);
    expect(await checkLayerNode(resBlock, { filters: 8, groups: 4 }, { in: [null, 6, 6, 8], emb: [null, 5] })).toEqual({ out: [null, 6, 6, 8] });
    expect(await checkLayerNode(resBlock, { filters: 8, groups: 2 }, { in: [null, 4, 4, 4], emb: [null, 3] })).toEqual({ out: [null, 4, 4, 8] });
    expect(await checkLayerNode(resBlock, { filters: 4, groups: 2 }, { in: [null, 4, 4, 4] })).toEqual({ out: [null, 4, 4, 4] });
  });

  it('depends on the time embedding, and is the identity plus a residual when its last conv is zero', () => {
    const { model } = buildAlone(resBlock, { filters: 4, groups: 2 }, { in: [null, 4, 4, 4], emb: [null, 3] });
    setRandomWeights(model, 5);
    const x = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 1);
    const e1 = tf.randomNormal([2, 3], 0, 1, 'float32', 2);
    const e2 = tf.randomNormal([2, 3], 0, 1, 'float32', 3);
    const [y1, y2] = [e1, e2].map((e) => model.predict([x, e]) as tf.Tensor);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y1, y2))).dataSync()[0])).toBeGreaterThan(1e-3);
    // Zero the second conv: the residual branch vanishes and the block passes its input through.
    const conv2 = model.getLayer('n_conv2');
    const zeros = conv2.getWeights().map((w) => tf.zerosLike(w));
    conv2.setWeights(zeros);
    const y = model.predict([x, e1]) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, e1, e2, y1, y2, y, ...zeros]);
    model.dispose();
  });

  it('says what is wrong with its inputs and params', () => {
    expect(() => resBlock.inferShapes({ in: [null, 784] }, params(resBlock, {}))).toThrow(/\[batch, height, width, channels\], got \[batch, 784\]/);
    expect(() => resBlock.inferShapes({ in: [null, 4, 4, 8], emb: [null, 2, 2] }, params(resBlock, { filters: 8 }))).toThrow(/emb \[batch, d\]/);
    expect(() => resBlock.inferShapes({ in: [null, 4, 4, 8] }, params(resBlock, { filters: 12, groups: 8 }))).toThrow(/filters divisible by groups = 8, got 12/);
  });
});

describe('spatialAttention', () => {
  it('passes the layer checks at 7×7 with one and two heads', async () => {
    expect(getNodeDef('spatialAttention')).toBe(spatialAttention);
    expect(await checkLayerNode(spatialAttention, { heads: 1, groups: 2 }, { in: [null, 7, 7, 4] })).toEqual({ out: [null, 7, 7, 4] });
    expect(await checkLayerNode(spatialAttention, { heads: 2, groups: 4 }, { in: [null, 4, 4, 8] })).toEqual({ out: [null, 4, 4, 8] });
  });

  it('mixes positions: changing one pixel changes the output at the others', () => {
    const { model } = buildAlone(spatialAttention, { heads: 1, groups: 2 }, { in: [null, 3, 3, 4] });
    setRandomWeights(model, 9);
    const x = tf.randomNormal([1, 3, 3, 4], 0, 1, 'float32', 4);
    const bumped = tf.tidy(() => tf.add(x, tf.mul(tf.oneHot(tf.tensor1d([0], 'int32'), 9).reshape([1, 3, 3, 1]), 3)));
    const [a, b] = [x, bumped].map((v) => model.predict(v) as tf.Tensor);
    // The far corner (2, 2) was not touched, yet its output moves.
    const corner = (t: tf.Tensor) => tf.tidy(() => t.slice([0, 2, 2, 0], [1, 1, 1, 4]).dataSync());
    const moved = Array.from(corner(a)).reduce((s, v, i) => s + Math.abs(v - corner(b)[i]), 0);
    expect(moved).toBeGreaterThan(1e-4);
    tf.dispose([x, bumped, a, b]);
    model.dispose();
  });

  it('refuses maps larger than 16×16 and channels the heads do not divide', () => {
    expect(() => spatialAttention.inferShapes({ in: [null, 28, 28, 8] }, params(spatialAttention, {}))).toThrow(/at most 256 positions.*28×28/);
    expect(() => spatialAttention.inferShapes({ in: [null, 7, 7, 6] }, params(spatialAttention, { heads: 4, groups: 2 }))).toThrow(/heads = 4, got 6/);
  });
});
