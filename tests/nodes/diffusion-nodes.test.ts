import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise, noisePrediction, noiseSchedule } from '../../nodes/diffusion/nodes';
import { makeSchedule } from '../../nodes/diffusion/schedules';
import { concat } from '../../nodes/layers/merge';
import { dense } from '../../nodes/layers/dense';
import { timeEmbedding } from '../../nodes/layers/time-embedding';
import { timeBias } from '../../nodes/layers/unet-time-bias';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import type { AnyNodeDefinition, NoiseSchedule } from '../../nodes/types';
import { runContext } from '../diffusion/run-context';
import { buildAlone, checkLayerNode, testContext } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('diffusion nodes are registered', () => {
  it('by type', () => {
    for (const t of ['noiseSchedule', 'addNoise', 'noisePrediction', 'timeEmbedding', 'timeBias'])
      expect(getNodeDef(t)?.type).toBe(t);
  });
});

describe('addNoise', () => {
  const sched = makeSchedule('linear', 100);

  it('infers x_t and ε like x0, and t as [batch, 1]', () => {
    const params = { prediction: 'eps', weighting: 'uniform', snrGamma: 5 } as const;
    expect(addNoise.inferShapes({ x0: [null, 28, 28, 1], schedule: [] }, params)).toEqual({
      xt: [null, 28, 28, 1], t: [null, 1], eps: [null, 28, 28, 1], weight: [null, 1],
    });
    expect(() => addNoise.inferShapes({ schedule: [] }, params)).toThrow(/x0/);
  });

  it('matches √ᾱ_t·x0 + √(1−ᾱ_t)·ε computed from its own t and ε', () => {
    const before = tf.memory().numTensors;
    const x0 = tf.randomNormal([16, 3, 3, 2], 0, 1, 'float32', 5);
    const out = addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 42 })) as Record<string, tf.Tensor>;
    expect(out.t.shape).toEqual([16, 1]);
    expect(out.xt.shape).toEqual(x0.shape);
    expect(out.eps.shape).toEqual(x0.shape);
    const t = out.t.dataSync();
    const x = x0.arraySync() as number[][][][];
    const eps = out.eps.arraySync() as number[][][][];
    const xt = out.xt.arraySync() as number[][][][];
    for (let b = 0; b < 16; b++) {
      expect(Number.isInteger(t[b]) && t[b] >= 0 && t[b] < 100).toBe(true);
      const ab = sched.alphaBars[t[b]];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          for (let c = 0; c < 2; c++)
            expect(xt[b][i][j][c]).toBeCloseTo(Math.sqrt(ab) * x[b][i][j][c] + Math.sqrt(1 - ab) * eps[b][i][j][c], 5);
    }
    tf.dispose([x0, ...Object.values(out)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws t over the whole range [0, T) and reproduces with the same seeds', () => {
    const x0 = tf.zeros([2000, 2]);
    const a = addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 3 })) as Record<string, tf.Tensor>;
    const b = addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 3 })) as Record<string, tf.Tensor>;
    const t = Array.from(a.t.dataSync());
    expect(Math.min(...t)).toBe(0);
    expect(Math.max(...t)).toBe(99);
    const mean = t.reduce((s, v) => s + v, 0) / t.length;
    expect(Math.abs(mean - 49.5)).toBeLessThan(3);
    expect(Array.from(b.t.dataSync())).toEqual(t);
    expect(Array.from(b.xt.dataSync())).toEqual(Array.from(a.xt.dataSync()));
    tf.dispose([x0, ...Object.values(a), ...Object.values(b)]);
  });

  it('reads the schedule from the noiseSchedule node', () => {
    const s = noiseSchedule.run!(runContext(noiseSchedule, {}, { params: { T: 10 } })).schedule as NoiseSchedule;
    const x0 = tf.ones([64, 2]);
    const out = addNoise.run!(runContext(addNoise, { x0, schedule: s })) as Record<string, tf.Tensor>;
    expect(Math.max(...out.t.dataSync())).toBeLessThan(10);
    tf.dispose([x0, ...Object.values(out)]);
  });
});

describe('min-SNR loss weights', () => {
  const sched = makeSchedule('linear', 100);
  const gamma = 5;
  // SNR = ᾱ/(1−ᾱ); the x0 error's weight is min(SNR, γ), and ε and v errors are the x0 error times SNR and SNR + 1.
  const expected = { eps: (snr: number) => Math.min(snr, gamma) / snr, x0: (snr: number) => Math.min(snr, gamma), v: (snr: number) => Math.min(snr, gamma) / (snr + 1) };

  for (const prediction of ['eps', 'x0', 'v'] as const) {
    it(`give each ${prediction} example min(SNR, γ) in x0 terms, from its own t`, () => {
      const x0 = tf.zeros([256, 2]);
      const params = { prediction, weighting: 'min-snr', snrGamma: gamma } as const;
      const out = addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 8, params })) as Record<string, tf.Tensor>;
      const t = out.t.dataSync();
      const w = out.weight.dataSync();
      expect(out.weight.shape).toEqual([256, 1]);
      let capped = 0;
      for (let b = 0; b < 256; b++) {
        const ab = sched.alphaBars[t[b]];
        const snr = ab / (1 - ab);
        if (snr > gamma) capped++;
        expect(w[b]).toBeCloseTo(expected[prediction](snr), 3);
      }
      // Both sides of the cap are exercised: the early steps' SNR is far above 5, the late ones' far below.
      expect(capped).toBeGreaterThan(10);
      expect(capped).toBeLessThan(246);
      tf.dispose([x0, ...Object.values(out)]);
    });
  }

  it('are all 1 when uniform', () => {
    const x0 = tf.zeros([64, 2]);
    const out = addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 8 })) as Record<string, tf.Tensor>;
    expect(new Set(out.weight.dataSync())).toEqual(new Set([1]));
    tf.dispose([x0, ...Object.values(out)]);
  });
});

describe('noisePrediction', () => {
  it('is the mean squared error over every element', () => {
    const pred = tf.tensor2d([[1, 2], [3, 4]]);
    const eps = tf.tensor2d([[0, 2], [1, 1]]);
    const [obj] = noisePrediction.objectives!({});
    expect([obj.id, obj.phase, obj.trains]).toEqual(['mse', 'main', 'upstream']);
    const before = tf.memory().numTensors;
    const loss = obj.loss(runContext(noisePrediction, { pred, eps }));
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo((1 + 0 + 4 + 9) / 4, 6);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([pred, eps]);
  });

  it('weighs each example’s mean squared error by its weight', () => {
    const pred = tf.tensor2d([[1, 2], [3, 4]]);
    const eps = tf.tensor2d([[0, 2], [1, 1]]);
    const [obj] = noisePrediction.objectives!({});
    const weighted = obj.loss(runContext(noisePrediction, { pred, eps, weight: tf.tensor2d([[3], [0.5]]) }));
    // Example 1: (1 + 0)/2, example 2: (4 + 9)/2; weighted 3 and 0.5, averaged over the batch.
    expect(weighted.dataSync()[0]).toBeCloseTo((3 * 0.5 + 0.5 * 6.5) / 2, 6);
    const ones = obj.loss(runContext(noisePrediction, { pred, eps, weight: tf.ones([2, 1]) }));
    expect(ones.dataSync()[0]).toBeCloseTo((1 + 0 + 4 + 9) / 4, 6);
    tf.dispose([pred, eps, weighted, ones]);
  });

  it('names a weight that is not [batch, 1]', () => {
    expect(() => noisePrediction.inferShapes({ pred: [null, 2], eps: [null, 2], weight: [null, 2] }, {})).toThrow(/weight \[batch, 1\].*\[batch, 2\]/);
  });

  it('rejects shapes that differ', () => {
    expect(() => noisePrediction.inferShapes({ pred: [null, 2], eps: [null, 3] }, {})).toThrow(/same shape.*\[batch, 2\].*\[batch, 3\]/);
  });
});

describe('timeEmbedding', () => {
  it('passes the layer checks with and without the MLP', async () => {
    expect(await checkLayerNode(timeEmbedding, { dim: 16 }, { in: [null, 1] })).toEqual({ out: [null, 16] });
    expect(await checkLayerNode(timeEmbedding, { dim: 8, mlp: false }, { in: [null, 1] })).toEqual({ out: [null, 8] });
  });

  it('computes sin and cos of t at geometric frequencies', () => {
    const { params } = resolveParams(timeEmbedding, { dim: 6, mlp: false, maxPeriod: 100 });
    const { model } = buildAlone(timeEmbedding, params, { in: [null, 1] });
    const ts = [0, 1, 7, 99];
    const y = model.predict(tf.tensor2d(ts, [4, 1])) as tf.Tensor;
    const rows = y.arraySync() as number[][];
    ts.forEach((t, r) => {
      for (let k = 0; k < 3; k++) {
        const f = Math.pow(100, -k / 3);
        expect(rows[r][k]).toBeCloseTo(Math.sin(t * f), 4);
        expect(rows[r][3 + k]).toBeCloseTo(Math.cos(t * f), 4);
      }
    });
    // Different steps get different embeddings.
    expect(rows[1]).not.toEqual(rows[2]);
    y.dispose();
    model.dispose();
  });

  it('rejects an odd width and an input other than [batch, 1]', () => {
    expect(resolveParams(timeEmbedding, { dim: 7 }).problems.map((p) => p.field)).toEqual(['dim']);
    expect(() => timeEmbedding.inferShapes({ in: [null, 3] }, { dim: 8, mlp: true, maxPeriod: 10000 })).toThrow(/\[batch, 1\]/);
  });
});

describe('timeBias', () => {
  it('passes the layer checks on vectors, sequences and images', async () => {
    expect(await checkLayerNode(timeBias, {}, { in: [null, 5], emb: [null, 8] })).toEqual({ out: [null, 5] });
    expect(await checkLayerNode(timeBias, {}, { in: [null, 4, 3], emb: [null, 8] })).toEqual({ out: [null, 4, 3] });
    expect(await checkLayerNode(timeBias, {}, { in: [null, 6, 6, 3], emb: [null, 8] })).toEqual({ out: [null, 6, 6, 3] });
  });

  it('adds the same per-channel value at every position', () => {
    const { model } = buildAlone(timeBias, {}, { in: [null, 4, 4, 3], emb: [null, 2] });
    const zeros = tf.zeros([2, 4, 4, 3]);
    const emb = tf.tensor2d([[1, 0], [0, 1]]);
    const y = model.predict([zeros, emb]) as tf.Tensor;
    const [kernel, bias] = model.getWeights().map((w) => w.arraySync() as number[][] | number[]);
    const out = y.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        const expected = (kernel as number[][])[b][c] + (bias as number[])[c];
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(out[b][i][j][c]).toBeCloseTo(expected, 5);
      }
    tf.dispose([zeros, emb, y]);
    model.dispose();
  });

  it('names a bad embedding shape', () => {
    expect(() => timeBias.inferShapes({ in: [null, 4, 4, 3], emb: [null, 2, 2] }, { mode: 'add' })).toThrow(/emb \[batch, d\]/);
  });

  it('in scale mode multiplies each position by the per-channel value', async () => {
    expect(await checkLayerNode(timeBias, { mode: 'scale' }, { in: [null, 4, 4, 3], emb: [null, 8] })).toEqual({ out: [null, 4, 4, 3] });
    const { model } = buildAlone(timeBias, { mode: 'scale' }, { in: [null, 2, 2, 3], emb: [null, 2] });
    const x = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 4);
    const emb = tf.tensor2d([[1, 0], [0, 1]]);
    const y = model.predict([x, emb]) as tf.Tensor;
    const [kernel, bias] = model.getWeights().map((w) => w.arraySync() as number[][] | number[]);
    const xs = x.arraySync() as number[][][][];
    const out = y.arraySync() as number[][][][];
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        const scale = (kernel as number[][])[b][c] + (bias as number[])[c];
        for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(out[b][i][j][c]).toBeCloseTo(xs[b][i][j][c] * scale, 5);
      }
    tf.dispose([x, emb, y]);
    model.dispose();
  });
});

describe('an MLP denoiser for 2-D points', () => {
  it('concat [x_t, emb] → dense builds, predicts and trains on add-noise outputs', () => {
    const before = tf.memory().numTensors;
    const xt = tf.input({ shape: [2] });
    const t = tf.input({ shape: [1] });
    const tp = resolveParams(timeEmbedding, { dim: 16 }).params;
    const emb = (timeEmbedding as AnyNodeDefinition).build!(tp, { in: [null, 1] }, testContext('temb'))({ in: t }).out;
    const cp = resolveParams(concat, {}).params;
    const shapes = { a: [null, 2], b: [null, 16] };
    expect((concat as AnyNodeDefinition).inferShapes(shapes, cp)).toEqual({ out: [null, 18] });
    const h = (concat as AnyNodeDefinition).build!(cp, shapes, testContext('cat'))({ a: xt, b: emb }).out;
    const h1 = (dense as AnyNodeDefinition).build!(resolveParams(dense, { units: 32, activation: 'silu' }).params, { in: [null, 18] }, testContext('d1'))({ in: h }).out;
    const out = (dense as AnyNodeDefinition).build!(resolveParams(dense, { units: 2 }).params, { in: [null, 32] }, testContext('d2'))({ in: h1 }).out;
    const model = tf.model({ inputs: [xt, t], outputs: out });

    const sched = makeSchedule('linear', 100);
    const x0 = tf.randomNormal([32, 2], 0, 1, 'float32', 1);
    const noised = addNoise.run!(runContext(addNoise, { x0, schedule: sched })) as Record<string, tf.Tensor>;
    const [obj] = noisePrediction.objectives!({});
    const opt = tf.train.adam(1e-2);
    const lossAt = () =>
      obj.loss(runContext(noisePrediction, { pred: model.apply([noised.xt, noised.t]) as tf.Tensor, eps: noised.eps }));
    const first = tf.tidy(() => lossAt().dataSync()[0]);
    for (let i = 0; i < 30; i++) opt.minimize(() => tf.tidy(lossAt))?.dispose();
    const last = tf.tidy(() => lossAt().dataSync()[0]);
    expect(last).toBeLessThan(first * 0.8);
    tf.dispose([x0, ...Object.values(noised)]);
    opt.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
