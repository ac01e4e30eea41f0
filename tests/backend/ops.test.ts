// Forward and gradient parity, wasm against cpu, for every other op the models Genloom builds
// train through: pooling, resizing, embeddings (gather), attention, normalisation, activations.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, gradsOf, rand, runOn, setupBackends, type Input } from './parity';

beforeAll(setupBackends);

const T4 = (t: tf.Tensor) => t as tf.Tensor4D;

describe('pooling gradients (MaxPoolGrad, AvgPoolGrad)', () => {
  const cases: [number[], number, number, 'same' | 'valid'][] = [
    [[2, 6, 6, 3], 2, 2, 'valid'],
    [[2, 7, 5, 2], 3, 2, 'same'],
    [[1, 5, 5, 4], 3, 1, 'same'],
    [[3, 9, 7, 1], 2, 1, 'valid'],
  ];
  it.each(cases)('maxPool x %s window %s stride %s %s', async (shape, k, s, pad) => {
    await expectParity('maxPool', [rand(shape, 1)], gradsOf((x) => tf.maxPool(T4(x), k, s, pad)));
  });
  it.each(cases)('avgPool x %s window %s stride %s %s', async (shape, k, s, pad) => {
    await expectParity('avgPool', [rand(shape, 2)], gradsOf((x) => tf.avgPool(T4(x), k, s, pad)));
  });
});

describe('resize gradients (ResizeNearestNeighborGrad, ResizeBilinearGrad)', () => {
  const cases: [number[], [number, number], boolean][] = [
    [[2, 4, 4, 3], [8, 8], false],
    [[2, 5, 5, 2], [10, 10], false],
    [[1, 3, 3, 2], [7, 7], true],
  ];
  it.each(cases)('nearest forward x %s to %s alignCorners %s', async (shape, size, align) => {
    await expectParity('nearest', [rand(shape, 3)], (x) => tf.image.resizeNearestNeighbor(T4(x), size, align));
  });
  it.each(cases)('bilinear x %s to %s alignCorners %s', async (shape, size, align) => {
    await expectParity('bilinear', [rand(shape, 4)], gradsOf((x) => tf.image.resizeBilinear(T4(x), size, align)));
  });

  // The cpu backend is no reference here: its ResizeNearestNeighborGrad fails this same check
  // and its ResizeBilinearGrad returns a transposed shape for non-square images. Both resizes
  // are linear, so wasm's gradients are checked as adjoints: <resize(x), dy> = <x, grad(dy)>.
  const adjointCases: [string, number[], [number, number], boolean][] = [
    ['bilinear', [2, 3, 5, 2], [6, 10], false],
    ['bilinear', [1, 4, 3, 1], [7, 5], true],
    ['nearest', [2, 4, 4, 3], [8, 8], false],
    ['nearest', [2, 3, 5, 2], [7, 10], false],
    ['nearest', [1, 3, 4, 2], [7, 7], true],
  ];
  it.each(adjointCases)('%s gradient x %s to %s alignCorners %s is the adjoint', async (kind, shape, size, align) => {
    const dyShape = [shape[0], size[0], size[1], shape[3]];
    const [fwd, back] = await runOn('wasm', [rand(shape, 5), rand(dyShape, 6)], (x, dy) => {
      const resize = (t: tf.Tensor) =>
        kind === 'nearest' ? tf.image.resizeNearestNeighbor(T4(t), size, align) : tf.image.resizeBilinear(T4(t), size, align);
      const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(resize(t), dy)))([x]);
      return [tf.sum(tf.mul(resize(x), dy)), tf.sum(tf.mul(x, g))];
    });
    expect(back.values[0]).toBeCloseTo(fwd.values[0], 4);
  });
});

describe('embeddings: gather and its gradient UnsortedSegmentSum', () => {
  const ids = (values: number[], shape: number[]): Input => ({ values: Int32Array.from(values), shape, dtype: 'int32' });
  it('gather rows with repeated ids (batch of sequences)', async () => {
    const table = rand([11, 6], 7);
    const tokens = ids([1, 2, 3, 10, 1, 0, 0, 5, 6, 1], [2, 5]);
    await expectParity('gather', [table, tokens], (t, i) => {
      const f = (w: tf.Tensor) => tf.gather(w, i);
      return gradsOf((w) => f(w))(t);
    });
  });
  it('gather on axis 1', async () => {
    await expectParity('gather axis 1', [rand([3, 7, 2], 8), ids([6, 0, 6, 2], [4])], (t, i) =>
      gradsOf((w) => tf.gather(w, i, 1))(t));
  });
  it('unsortedSegmentSum drops out-of-range ids and sums int32 too', async () => {
    const segs = ids([0, 3, 3, -1, 7, 1], [6]);
    await expectParity('segment sum', [rand([6, 3], 9), segs], (x, s) => [
      tf.unsortedSegmentSum(x, s as tf.Tensor1D, 5),
      tf.unsortedSegmentSum(tf.cast(tf.mul(x, 10), 'int32'), s as tf.Tensor1D, 5),
    ]);
  });
});

describe('transformer pieces', () => {
  it('batched matMul (B, h, T, d) · (B, h, d, T) and with transposeB', async () => {
    await expectParity('bmm', [rand([2, 3, 4, 5], 10), rand([2, 3, 5, 4], 11)],
      gradsOf((a, b) => tf.matMul(a, b)));
    await expectParity('bmm transposeB', [rand([2, 3, 4, 5], 12), rand([2, 3, 4, 5], 13)],
      gradsOf((a, b) => tf.matMul(a, b, false, true)));
  });
  it('causal masked softmax', async () => {
    await expectParity('softmax', [rand([2, 2, 5, 5], 14)], gradsOf((x) => {
      const mask = tf.linalg.bandPart(tf.ones([5, 5]), -1, 0);
      return tf.softmax(tf.add(x, tf.mul(tf.sub(1, mask), -1e9)));
    }));
  });
  it('layerNorm via moments, gelu, logSoftmax cross-entropy', async () => {
    await expectParity('layer norm', [rand([3, 4, 8], 15), rand([8], 16), rand([8], 17)], gradsOf((x, g, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    }));
    const gelu = tf.layers.activation({ activation: 'gelu' as never });
    await expectParity('gelu', [rand([4, 7], 18)], gradsOf((x) => gelu.apply(x) as tf.Tensor));
    await expectParity('xent', [rand([4, 7], 19)], gradsOf((x) => tf.losses.softmaxCrossEntropy(tf.oneHot([1, 0, 6, 2], 7), x)));
  });
});

describe('activations, normalisation, shape ops', () => {
  const unary: [string, (x: tf.Tensor) => tf.Tensor][] = [
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.2)],
    ['relu', (x) => tf.relu(x)],
    ['tanh', (x) => tf.tanh(x)],
    ['sigmoid', (x) => tf.sigmoid(x)],
    ['swish', (x) => tf.mul(x, tf.sigmoid(x))],
    ['elu', (x) => tf.elu(x)],
    ['softplus', (x) => tf.softplus(x)],
    ['log sigmoid', (x) => tf.logSigmoid(x)],
    ['sigmoid cross-entropy', (x) => tf.losses.sigmoidCrossEntropy(tf.onesLike(x), x)],
    ['abs (L1)', (x) => tf.abs(x)],
    ['clip', (x) => tf.clipByValue(x, -0.5, 0.5)],
    ['concat', (x) => tf.concat([x, tf.mul(x, 2)], -1)],
    ['slice, pad, tile', (x) => tf.tile(tf.pad(tf.slice(x, [0, 1, 0], [2, 2, 4]), [[0, 0], [1, 0], [0, 2]]), [1, 2, 1])],
    ['transpose', (x) => tf.transpose(x, [2, 0, 1])],
  ];
  it.each(unary)('%s', async (_name, f) => {
    await expectParity('unary', [rand([2, 3, 4], 20)], gradsOf(f));
  });

  it('batchNorm in training mode (batch statistics)', async () => {
    await expectParity('batchNorm', [rand([4, 3, 3, 5], 21), rand([5], 22), rand([5], 23)], gradsOf((x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, b, g, 1e-3);
    }));
  });
});

describe('BatchMatMul (transposes and a shared B take the fast path)', () => {
  // tfjs' matMul gradient cannot reduce broadcast batch dimensions, so those are forward only.
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['2-D plain', [5, 3], [3, 4], false, false],
    ['2-D transposeA (dense weight gradient)', [3, 5], [3, 4], true, false],
    ['2-D transposeB (dense input gradient)', [5, 3], [4, 3], false, true],
    ['2-D both', [3, 5], [4, 3], true, true],
    ['2-D transposeB, B far larger than A (computed as (B·Aᵀ)ᵀ)', [2, 8], [40, 8], false, true],
    ['batched A, shared 2-D B', [2, 3, 5, 3], [3, 4], false, false],
    ['batched A, shared [1, k, n] B', [4, 5, 3], [1, 3, 4], false, false],
    ['batched A transposeA, shared B transposeB', [2, 3, 5], [4, 3], true, true],
    ['both batched, broadcast A', [1, 5, 3], [3, 3, 4], false, false],
    ['both batched transposeA', [2, 3, 3, 5], [2, 3, 3, 4], true, false],
  ];
  it.each(cases)('%s: a %s b %s', async (_name, as, bs, ta, tb) => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, ta, tb);
    const broadcast = as.length !== bs.length || as[0] !== bs[0];
    await expectParity('matMul', [rand(as, 24), rand(bs, 25)], broadcast ? f : gradsOf(f));
  });
});

describe('Tile', () => {
  const cases: [number[], number[]][] = [
    [[1, 1, 1, 4], [3, 5, 2, 1]],
    [[2, 3], [2, 1]],
    [[3], [4]],
    [[2, 1, 3], [1, 4, 2]],
    [[2, 2, 1, 2, 1], [1, 2, 3, 1, 2]],
    [[2, 3], [1, 0]],
  ];
  // tfjs has no tile gradient beyond rank 4.
  it.each(cases)('x %s reps %s, float32 with gradient and int32', async (shape, reps) => {
    const tile = (t: tf.Tensor) => tf.tile(t, reps);
    await expectParity('tile', [rand(shape, 26)], (x) => [
      ...(shape.length <= 4 ? gradsOf(tile)(x) : [tile(x)]),
      tf.cast(tf.tile(tf.cast(tf.mul(x, 100), 'int32'), reps), 'float32'),
    ]);
  });
});
