import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSchedule } from '../../nodes/diffusion/schedules';
import type { NoiseSchedule } from '../../nodes/types';
import { sampleReverse, timestepSequence, type Denoiser } from '../../nodes/diffusion/sampler';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** ᾱ_t for a [n, 1] tensor of step indices, as [n, 1]. */
function alphaBarAt(s: NoiseSchedule, t: tf.Tensor): tf.Tensor {
  return tf.gather(tf.tensor1d(s.alphaBars), t.reshape([-1]).toInt()).reshape([-1, 1]);
}

/** The exact ε for data that is always the point `x0`: ε = (x_t − √ᾱ·x0)/√(1−ᾱ). */
function oracle(s: NoiseSchedule, x0: tf.Tensor): Denoiser {
  return (xt, t) => {
    const ab = alphaBarAt(s, t);
    return tf.div(tf.sub(xt, tf.mul(tf.sqrt(ab), x0)), tf.sqrt(tf.sub(1, ab)));
  };
}

/**
 * The Bayes-optimal ε for 1-D data N(mu, sd²): x_t ~ N(√ᾱ·mu, ᾱ·sd² + 1 − ᾱ), so
 * E[ε | x_t] = √(1−ᾱ)·(x_t − √ᾱ·mu)/(ᾱ·sd² + 1 − ᾱ). A correct sampler then draws N(mu, sd²).
 */
function gaussianScore(s: NoiseSchedule, mu: number, sd: number): Denoiser {
  return (xt, t) => {
    const ab = alphaBarAt(s, t);
    const v = tf.add(tf.mul(ab, sd * sd), tf.sub(1, ab));
    return tf.div(tf.mul(tf.sqrt(tf.sub(1, ab)), tf.sub(xt, tf.mul(tf.sqrt(ab), mu))), v);
  };
}

function moments(x: tf.Tensor): [number, number] {
  const d = Array.from(x.dataSync());
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  const v = d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length;
  return [m, Math.sqrt(v)];
}

describe('timestepSequence', () => {
  it('walks every step for steps = T and spreads fewer steps from T-1 to 0', () => {
    expect(timestepSequence(5, 5)).toEqual([4, 3, 2, 1, 0]);
    expect(timestepSequence(100, 1)).toEqual([99]);
    for (const steps of [2, 7, 50, 99]) {
      const seq = timestepSequence(100, steps);
      expect(seq.length).toBe(steps);
      expect(seq[0]).toBe(99);
      expect(seq[steps - 1]).toBe(0);
      for (let i = 1; i < steps; i++) expect(seq[i]).toBeLessThan(seq[i - 1]);
    }
    expect(() => timestepSequence(100, 101)).toThrow(/between 1 and T = 100/);
    expect(() => timestepSequence(100, 0)).toThrow(/steps/);
  });
});

describe('sampleReverse', () => {
  const T = 50;
  const sched = makeSchedule('linear', T);
  const point = tf.tensor2d([[0.7, -0.3]]);

  for (const sampler of ['ddim', 'ddpm'] as const) {
    for (const steps of [1, 3, 17, T]) {
      it(`${sampler} with ${steps} step(s) recovers a single-point dataset from an exact denoiser`, () => {
        const before = tf.memory().numTensors;
        const xT = tf.randomNormal([8, 2], 0, 1, 'float32', 9);
        const x0 = tf.tile(point, [8, 1]);
        const { x0: out } = sampleReverse(oracle(sched, x0), sched, xT, { sampler, steps, eta: 1, seed: 4 });
        const got = out.arraySync() as number[][];
        for (const row of got) {
          expect(row[0]).toBeCloseTo(0.7, 3);
          expect(row[1]).toBeCloseTo(-0.3, 3);
        }
        tf.dispose([xT, x0, out]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('DDIM with η = 0 is deterministic for a fixed start; η > 0 is not', () => {
    const xT = tf.randomNormal([64, 1], 0, 1, 'float32', 2);
    const den = gaussianScore(sched, 1, 0.5);
    const run = (eta: number, seed: number) => {
      const { x0 } = sampleReverse(den, sched, xT, { sampler: 'ddim', steps: 10, eta, seed });
      const d = Array.from(x0.dataSync());
      x0.dispose();
      return d;
    };
    expect(run(0, 1)).toEqual(run(0, 2));
    expect(run(0.5, 1)).not.toEqual(run(0.5, 2));
    expect(run(0.5, 1)).toEqual(run(0.5, 1));
    xT.dispose();
  });

  // With the exact score of N(1, 0.5²), a sampler walking every step must land on that
  // distribution: this pins the DDPM posterior coefficients and variance and the DDIM update, not
  // only their fixed points. (Fewer steps under-disperse: discretisation error, checked below.)
  const T2 = 200;
  const cos = makeSchedule('cosine', T2);
  const cases: [string, 'ddpm' | 'ddim', number, 'posterior' | 'beta', number][] = [
    ['DDPM with β̃', 'ddpm', 0, 'posterior', 0.03],
    ['DDPM with β', 'ddpm', 0, 'beta', 0.05],
    ['DDIM η=0', 'ddim', 0, 'posterior', 0.03],
  ];
  for (const [name, sampler, eta, variance, tol] of cases) {
    it(`${name}, all ${T2} steps, samples N(1, 0.5²) from its exact score`, () => {
      const xT = tf.randomNormal([4000, 1], 0, 1, 'float32', 11);
      const { x0 } = sampleReverse(gaussianScore(cos, 1, 0.5), cos, xT, { sampler, steps: T2, eta, variance, seed: 5 });
      const [m, sd] = moments(x0);
      expect(Math.abs(m - 1)).toBeLessThan(0.03);
      expect(Math.abs(sd - 0.5)).toBeLessThan(tol);
      tf.dispose([xT, x0]);
    });
  }

  it('DDIM with η = 1 over every step is DDPM with the posterior variance', () => {
    const xT = tf.randomNormal([200, 1], 0, 1, 'float32', 12);
    const den = gaussianScore(sched, 1, 0.5);
    const a = sampleReverse(den, sched, xT, { sampler: 'ddim', steps: T, eta: 1, seed: 8 }).x0;
    const b = sampleReverse(den, sched, xT, { sampler: 'ddpm', steps: T, variance: 'posterior', seed: 8 }).x0;
    const da = a.dataSync();
    const db = b.dataSync();
    for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i], 3);
    tf.dispose([xT, a, b]);
  });

  it('DDIM η=0 approaches the data distribution as steps grow', () => {
    const xT = tf.randomNormal([2000, 1], 0, 1, 'float32', 13);
    const err = [5, 25, T2].map((steps) => {
      const { x0 } = sampleReverse(gaussianScore(cos, 1, 0.5), cos, xT, { sampler: 'ddim', steps });
      const [, sd] = moments(x0);
      x0.dispose();
      return Math.abs(sd - 0.5);
    });
    expect(err[1]).toBeLessThan(err[0]);
    expect(err[2]).toBeLessThan(err[1]);
    xT.dispose();
  });

  it('clips predicted x0 to [-1, 1] when asked', () => {
    const far = tf.tensor2d([[3, -3]]);
    const xT = tf.randomNormal([4, 2], 0, 1, 'float32', 3);
    const x0 = tf.tile(far, [4, 1]);
    const { x0: out } = sampleReverse(oracle(sched, x0), sched, xT, { sampler: 'ddim', steps: 10, clipX0: true });
    const max = Math.max(...Array.from(out.abs().dataSync()));
    expect(max).toBeLessThanOrEqual(1 + 1e-5);
    expect(max).toBeGreaterThan(0.99);
    tf.dispose([far, xT, x0, out]);
  });

  it('keeps every k-th frame and the last, the last equal to x0', () => {
    const xT = tf.randomNormal([3, 2], 0, 1, 'float32', 1);
    const { x0, frames } = sampleReverse(gaussianScore(sched, 0, 1), sched, xT, { sampler: 'ddim', steps: 10, frameEvery: 4 });
    expect(frames.map((f) => f.done)).toEqual([4, 8, 10]);
    expect(frames[frames.length - 1].t).toBe(-1);
    expect(Array.from(frames[2].data)).toEqual(Array.from(x0.dataSync()));
    expect(frames[0].data.length).toBe(6);
    tf.dispose([xT, x0]);
  });

  it('uses the schedule’s sampler settings by default and leaves xT alone', () => {
    const s = makeSchedule('linear', 20, { sampler: 'ddim', sampleSteps: 4 });
    const calls: number[] = [];
    const den: Denoiser = (xt, t) => {
      calls.push(t.dataSync()[0]);
      return tf.zerosLike(xt);
    };
    const xT = tf.ones([2, 1]);
    const { x0 } = sampleReverse(den, s, xT);
    expect(calls).toEqual(timestepSequence(20, 4));
    expect(xT.isDisposed).toBe(false);
    tf.dispose([xT, x0]);
  });
});
