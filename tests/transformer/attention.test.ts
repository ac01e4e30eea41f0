import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiHeadAttention } from '../../nodes/transformer/attention-layer';
import { setRandomWeights } from '../nodes/harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 2, T = 5, C = 6;

/** The attention layer alone as a model, with seeded random weights. */
function attentionModel(heads: number, headSize: number, causal: boolean) {
  const input = tf.input({ shape: [T, C] });
  const layer = new MultiHeadAttention({ heads, headSize, causal, dropout: 0, name: 'mha' });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  setRandomWeights(model, 3);
  return { model, layer };
}

/** softmax(QKᵀ/√hs + mask)V for each head from the layer's own weights, written out with plain ops. */
function reference(x: tf.Tensor3D, weights: tf.Tensor[], heads: number, hs: number, causal: boolean): tf.Tensor {
  return tf.tidy(() => {
    const [wQkv, bQkv, wOut, bOut] = weights;
    const inner = heads * hs;
    const outs: tf.Tensor[] = [];
    for (let b = 0; b < B; b++) {
      const xb = x.slice([b, 0, 0], [1, T, C]).reshape([T, C]);
      const headOuts: tf.Tensor[] = [];
      for (let h = 0; h < heads; h++) {
        const cols = (offset: number) => [wQkv.slice([0, offset + h * hs], [C, hs]), bQkv.slice([offset + h * hs], [hs])];
        const [wq, bq] = cols(0);
        const [wk, bk] = cols(inner);
        const [wv, bv] = cols(2 * inner);
        const q = xb.matMul(wq).add(bq);
        const k = xb.matMul(wk).add(bk);
        const v = xb.matMul(wv).add(bv);
        let s = q.matMul(k, false, true).div(Math.sqrt(hs));
        if (causal) {
          const above = tf.tensor2d(Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? 1 : 0)), [T, T]);
          s = tf.where(above.cast('bool'), tf.fill([T, T], -Infinity), s);
        }
        headOuts.push(tf.softmax(s).matMul(v));
      }
      outs.push(tf.concat(headOuts, 1).matMul(wOut).add(bOut));
    }
    return tf.stack(outs);
  });
}

describe('multi-head attention', () => {
  for (const [heads, hs, causal] of [[2, 3, true], [3, 4, false], [1, 6, true]] as const) {
    it(`equals softmax(QKᵀ/√d)V per head (heads ${heads}, head size ${hs}, causal ${causal})`, () => {
      const { model } = attentionModel(heads, hs, causal);
      const x = tf.randomNormal([B, T, C], 0, 1, 'float32', 5) as tf.Tensor3D;
      const got = model.predict(x) as tf.Tensor;
      const want = reference(x, model.getWeights(), heads, hs, causal);
      expect(got.shape).toEqual([B, T, C]);
      expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-4);
      tf.dispose([x, got, want]);
      model.dispose();
    });
  }

  it('is causal: changing a later token never changes an earlier position', () => {
    const { model } = attentionModel(2, 3, true);
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([1, T, C], 0, 1, 'float32', 8);
    for (let j = 1; j < T; j++) {
      const changed = tf.tidy(() => {
        const bump = tf.oneHot([j], T).reshape([1, T, 1]).mul(5);
        return x.add(bump);
      });
      const [a, b] = [model.predict(x) as tf.Tensor, model.predict(changed) as tf.Tensor];
      const diff = tf.tidy(() => tf.abs(tf.sub(a, b)).max(2).dataSync());
      for (let i = 0; i < j; i++) expect(diff[i], `position ${i} after changing ${j}`).toBe(0);
      expect(diff[j], `position ${j} sees its own change`).toBeGreaterThan(0);
      tf.dispose([changed, a, b]);
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('without the mask, an earlier position does see a later change', () => {
    const { model } = attentionModel(2, 3, false);
    const [x, y] = [tf.randomNormal([1, T, C], 0, 1, 'float32', 8), tf.randomNormal([1, T, C], 0, 1, 'float32', 9)];
    const mixed = tf.concat([x.slice([0, 0, 0], [1, T - 1, C]), y.slice([0, T - 1, 0], [1, 1, C])], 1);
    const d = tf.tidy(() => tf.abs(tf.sub(model.predict(x) as tf.Tensor, model.predict(mixed) as tf.Tensor)).max(2).dataSync());
    expect(d[0]).toBeGreaterThan(0);
    tf.dispose([x, y, mixed]);
    model.dispose();
  });

  it('applies dropout only while training', () => {
    const input = tf.input({ shape: [T, C] });
    const layer = new MultiHeadAttention({ heads: 2, headSize: 3, causal: true, dropout: 0.5, name: 'mha_drop' });
    layer.apply(input);
    const x = tf.randomNormal([B, T, C], 0, 1, 'float32', 5);
    const [e1, e2, t1] = [layer.call(x, {}), layer.call(x, {}), layer.call(x, { training: true })] as tf.Tensor[];
    expect(tf.tidy(() => tf.abs(tf.sub(e1, e2)).max().dataSync()[0])).toBe(0);
    expect(tf.tidy(() => tf.abs(tf.sub(e1, t1)).max().dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([x, e1, e2, t1]);
    layer.dispose();
  });
});

describe('the block layer norm', () => {
  it('matches tf.layers.layerNormalization with the same weights, with far fewer kernels in its gradient', async () => {
    const { LastAxisNorm } = await import('../../nodes/layers/layer-norm-layer');
    const x = tf.randomNormal([16, 8, 8], 2, 3, 'float32', 1);
    const ours = new LastAxisNorm({ epsilon: 1e-5, name: 'ours' });
    const theirs = tf.layers.layerNormalization({ epsilon: 1e-5, name: 'theirs' });
    ours.apply(x);
    theirs.apply(x);
    const w = [tf.randomUniform([8], 0.5, 1.5, 'float32', 2), tf.randomUniform([8], -1, 1, 'float32', 3)];
    ours.setWeights(w);
    theirs.setWeights(w);
    const [a, b] = [ours.apply(x) as tf.Tensor, theirs.apply(x) as tf.Tensor];
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
    const kernels = async (layer: tf.layers.Layer) =>
      (await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, layer.trainableWeights.map((v) => v.read() as tf.Variable));
        tf.dispose([value, ...Object.values(grads)]);
      })).kernels.length;
    // tfjs's tiles gamma, beta and the moments; Tile's gradient is one slice and add per repeat.
    expect(await kernels(ours)).toBeLessThan((await kernels(theirs)) / 4);
    tf.dispose([x, a, b, ...w]);
  });
});
