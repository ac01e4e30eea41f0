import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionMaps } from '../../nodes/transformer/text-sampler';
import { setRandomWeights } from '../nodes/harness';
import { buildTinyGpt, saveAndLoad } from './tiny-gpt';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec = { vocab: 11, T: 8, dim: 16, heads: 4, blocks: 2 };

function randomTokens(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.randomUniform([n, spec.T], 0, spec.vocab, 'float32', seed).floor().cast('int32')) as tf.Tensor2D;
}

describe('a tiny GPT built from the transformer nodes', () => {
  for (const positions of ['learned', 'sinusoidal'] as const) {
    it(`saves and loads with identical logits (${positions} positions)`, async () => {
      const before = tf.memory().numTensors;
      const model = buildTinyGpt({ ...spec, positions });
      // Weights unlike any initialiser's, so only a faithful load reproduces them.
      setRandomWeights(model, 4);
      const x = randomTokens(3, 1);
      const a = model.predict(x) as tf.Tensor;
      expect(a.shape).toEqual([3, spec.T, spec.vocab]);
      const loaded = await saveAndLoad(model);
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(loaded.countParams()).toBe(model.countParams());
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('trains: every weight gets a gradient and the loss falls on a repeated sequence', () => {
    const model = buildTinyGpt(spec);
    const seq = Array.from({ length: spec.T + 1 }, (_, i) => (i * 3) % spec.vocab);
    const x = tf.tensor2d([seq.slice(0, -1)], [1, spec.T], 'int32');
    const y = tf.oneHot(tf.tensor1d(seq.slice(1), 'int32'), spec.vocab).expandDims(0);
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    const opt = tf.train.adam(1e-2);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(loss, vars);
    for (const w of model.trainableWeights) {
      const g = grads[(w.read() as tf.Variable).name];
      expect(g, `gradient for ${w.name}`).toBeDefined();
      expect(tf.tidy(() => tf.abs(g).max().dataSync()[0]), `non-zero gradient for ${w.name}`).toBeGreaterThan(0);
    }
    const first = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    for (let i = 0; i < 30; i++) tf.dispose(opt.minimize(loss, true, vars) ?? []);
    const last = tf.tidy(() => loss().dataSync()[0]);
    expect(last).toBeLessThan(first / 4);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });

  it('exposes causal attention maps per layer and head for one sequence', async () => {
    const model = buildTinyGpt(spec);
    const before = tf.memory().numTensors;
    const ids = [0, 3, 5, 2, 7];
    const maps = await attentionMaps((t) => model.predict(t), ids, { contextLength: spec.T });
    expect(maps.map((m) => [m.heads, m.length])).toEqual([[4, 5], [4, 5]]);
    expect(new Set(maps.map((m) => m.layer)).size).toBe(2);
    for (const m of maps) {
      for (let h = 0; h < m.heads; h++) {
        for (let i = 0; i < m.length; i++) {
          const row = m.weights.subarray((h * m.length + i) * m.length, (h * m.length + i + 1) * m.length);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          for (let j = i + 1; j < m.length; j++) expect(row[j]).toBe(0);
        }
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
