// ε-, x0- and v-prediction: the training targets add-noise makes, their inverses in the sampler, and
// the same model asked in ε or in v terms sampling the same distribution.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNoise } from '../../nodes/diffusion/nodes';
import { fromPrediction, PREDICTIONS, predictionTarget, sampleReverse, type Denoiser } from '../../nodes/diffusion/sampler';
import { makeSchedule } from '../../nodes/diffusion/schedules';
import type { NoiseSchedule } from '../../nodes/types';
import { runContext } from './run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('prediction targets', () => {
  it('each kind’s target gives back x0 and ε exactly, for every ᾱ', () => {
    const before = tf.memory().numTensors;
    const x0 = tf.randomNormal([6, 3], 0, 1, 'float32', 1);
    const eps = tf.randomNormal([6, 3], 0, 1, 'float32', 2);
    for (const ab of [0.999, 0.5, 0.01]) {
      const xt = tf.tidy(() => tf.add(tf.mul(Math.sqrt(ab), x0), tf.mul(Math.sqrt(1 - ab), eps)));
      for (const kind of PREDICTIONS) {
        const out = tf.tidy(() => {
          const target = predictionTarget(kind, x0, eps, tf.scalar(ab));
          const back = fromPrediction(kind, target, xt, ab);
          return [maxAbsDiff(back.x0, x0), maxAbsDiff(back.eps, eps)];
        });
        // x0 from ε divides by √ᾱ, ε from x0 by √(1−ᾱ): float32 error grows by those factors.
        expect(out[0], `${kind} x0 at ᾱ ${ab}`).toBeLessThan(1e-4 / Math.sqrt(ab));
        expect(out[1], `${kind} ε at ᾱ ${ab}`).toBeLessThan(1e-4 / Math.sqrt(1 - ab));
      }
      xt.dispose();
    }
    tf.dispose([x0, eps]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('add-noise emits v = √ᾱ·ε − √(1−ᾱ)·x0 and x0 from the same t and ε as its ε target', () => {
    const sched = makeSchedule('linear', 100);
    const x0 = tf.randomNormal([32, 2], 0, 1, 'float32', 5);
    const run = (prediction: string) =>
      addNoise.run!(runContext(addNoise, { x0, schedule: sched }, { seed: 42, params: { prediction } })) as Record<string, tf.Tensor>;
    const [e, v, x] = ['eps', 'v', 'x0'].map(run);
    expect(Array.from(v.t.dataSync())).toEqual(Array.from(e.t.dataSync()));
    expect(Array.from(x.eps.dataSync())).toEqual(Array.from(x0.dataSync()));
    const t = e.t.dataSync();
    const eps = e.eps.arraySync() as number[][];
    const vs = v.eps.arraySync() as number[][];
    const xs = x0.arraySync() as number[][];
    for (let b = 0; b < 32; b++) {
      const ab = sched.alphaBars[t[b]];
      for (let i = 0; i < 2; i++) expect(vs[b][i]).toBeCloseTo(Math.sqrt(ab) * eps[b][i] - Math.sqrt(1 - ab) * xs[b][i], 5);
    }
    tf.dispose([x0, ...[e, v, x].flatMap((o) => Object.values(o))]);
  });
});

/**
 * The Bayes-optimal ε for 1-D data N(mu, sd²) (the best a trained model can do):
 * E[ε | x_t] = √(1−ᾱ)·(x_t − √ᾱ·mu)/(ᾱ·sd² + 1 − ᾱ).
 */
function optimalEps(s: NoiseSchedule, mu: number, sd: number): Denoiser {
  return (xt, t) => {
    const ab = tf.gather(tf.tensor1d(s.alphaBars), t.reshape([-1]).toInt()).reshape([-1, 1]);
    return tf.div(tf.mul(tf.sqrt(tf.sub(1, ab)), tf.sub(xt, tf.mul(tf.sqrt(ab), mu))), tf.add(tf.mul(ab, sd * sd), tf.sub(1, ab)));
  };
}

/** The same model answering in v: v = √ᾱ·ε̂ − √(1−ᾱ)·x̂0(ε̂). */
function asV(s: NoiseSchedule, eps: Denoiser): Denoiser {
  return (xt, t) => {
    const ab = tf.gather(tf.tensor1d(s.alphaBars), t.reshape([-1]).toInt()).reshape([-1, 1]);
    const e = eps(xt, t);
    const x0 = tf.div(tf.sub(xt, tf.mul(tf.sqrt(tf.sub(1, ab)), e)), tf.sqrt(ab));
    return predictionTarget('v', x0, e, ab);
  };
}

function moments(x: tf.Tensor): [number, number] {
  const d = Array.from(x.dataSync());
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  return [m, Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length)];
}

describe('v- and ε-prediction from the same model', () => {
  const sched = makeSchedule('linear', 100);
  const [mu, sd] = [1.5, 0.4];
  const model = optimalEps(sched, mu, sd);

  for (const sampler of ['ddpm', 'ddim'] as const) {
    it(`sample the same distribution with ${sampler.toUpperCase()}`, () => {
      const before = tf.memory().numTensors;
      const xT = tf.randomNormal([4000, 1], 0, 1, 'float32', 3);
      const opts = { sampler, steps: sampler === 'ddim' ? 50 : undefined, seed: 11 };
      const byEps = sampleReverse(model, sched, xT, { ...opts, prediction: 'eps' }).x0;
      const byV = sampleReverse(asV(sched, model), sched, xT, { ...opts, prediction: 'v' }).x0;
      const [mE, sE] = moments(byEps);
      const [mV, sV] = moments(byV);
      // Both are the data distribution, N(1.5, 0.4²), to sampling error (4000 draws: ±0.02 on the mean)
      // and DDIM's discretisation.
      for (const [m, s] of [[mE, sE], [mV, sV]]) {
        expect(Math.abs(m - mu)).toBeLessThan(0.04);
        expect(Math.abs(s - sd)).toBeLessThan(0.04);
      }
      // The same noise draws, so the two runs agree sample by sample up to float rounding.
      expect(maxAbsDiff(byEps, byV)).toBeLessThan(1e-3);
      tf.dispose([xT, byEps, byV]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
