import { describe, expect, it } from 'vitest';
import { cosineBetas, linearBetas, makeSchedule, SCHEDULE_KINDS } from '../../nodes/diffusion/schedules';
import { noiseSchedule } from '../../nodes/diffusion/nodes';
import { reverseSteps } from '../../nodes/diffusion/sampler';
import { resolveParams } from '../../nodes/params';
import type { NoiseSchedule } from '../../nodes/types';
import { runContext } from './run-context';

describe('noise schedules', () => {
  for (const kind of SCHEDULE_KINDS) {
    for (const T of [10, 100, 1000]) {
      it(`${kind}, T=${T}: ᾱ falls strictly from near 1 to near 0`, () => {
        const s = makeSchedule(kind, T);
        expect(s.alphaBars.length).toBe(T);
        for (let i = 1; i < T; i++) expect(s.alphaBars[i]).toBeLessThan(s.alphaBars[i - 1]);
        expect(s.alphaBars[0]).toBeGreaterThan(0.9);
        expect(s.alphaBars[T - 1]).toBeLessThan(0.01);
        for (let i = 0; i < T; i++) {
          expect(s.betas[i]).toBeGreaterThan(0);
          expect(s.betas[i]).toBeLessThanOrEqual(Math.fround(0.999));
          expect(s.alphas[i]).toBeCloseTo(1 - s.betas[i], 6);
        }
      });
    }
  }

  it('linear matches Ho et al. at T=1000 and keeps its ends scaled for smaller T', () => {
    const b = linearBetas(1000);
    expect(b[0]).toBeCloseTo(1e-4, 10);
    expect(b[999]).toBeCloseTo(0.02, 10);
    const b100 = linearBetas(100);
    expect(b100[0]).toBeCloseTo(1e-3, 10);
    expect(b100[99]).toBeCloseTo(0.2, 10);
  });

  it('cosine ᾱ follows f(t)/f(0) where β is not clipped', () => {
    const T = 50;
    const f = (t: number) => Math.cos(((t / T + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    const s = makeSchedule('cosine', T);
    for (const i of [0, 10, 25, 40]) expect(s.alphaBars[i]).toBeCloseTo(f(i + 1) / f(0), 5);
    expect(cosineBetas(T)[T - 1]).toBe(0.999);
  });

  it('ᾱ is the running product of α', () => {
    const s = makeSchedule('linear', 200);
    let bar = 1;
    for (let i = 0; i < 200; i++) {
      bar *= s.alphas[i];
      expect(s.alphaBars[i]).toBeCloseTo(bar, 5);
    }
  });

  it('an unknown schedule fails listing the valid ones', () => {
    expect(() => makeSchedule('sigmoid', 100)).toThrow(/"sigmoid".*linear, cosine/);
  });

  it('rejects sampleSteps above T and eta outside [0, 1]', () => {
    expect(() => makeSchedule('linear', 100, { sampleSteps: 101 })).toThrow(/sampleSteps/);
    expect(() => makeSchedule('linear', 100, { eta: 1.5 })).toThrow(/eta/);
  });

  it('the node returns the schedule its params describe; DDPM samples every step', () => {
    const ddim = noiseSchedule.run!(runContext(noiseSchedule, {}, { params: { kind: 'cosine', T: 100, sampler: 'ddim', sampleSteps: 20, eta: 0.5 } }))
      .schedule as NoiseSchedule;
    expect([ddim.kind, ddim.T, ddim.sampler, ddim.sampleSteps, ddim.eta]).toEqual(['cosine', 100, 'ddim', 20, 0.5]);
    expect(Array.from(ddim.alphaBars)).toEqual(Array.from(makeSchedule('cosine', 100).alphaBars));
    const ddpm = noiseSchedule.run!(runContext(noiseSchedule, {}, { params: { T: 100, sampler: 'ddpm', sampleSteps: 20 } }))
      .schedule as NoiseSchedule;
    expect(reverseSteps(ddpm)).toBe(100);
    expect(reverseSteps(ddim)).toBe(20);
    // An override of the sampler follows the same rule: DDPM walks every step, DDIM the schedule's.
    expect(reverseSteps(ddim, 'ddpm')).toBe(100);
    expect(reverseSteps(ddpm, 'ddim')).toBe(20);
    expect(reverseSteps(ddpm, 'ddim', 7)).toBe(7);
  });

  it('the node caps sampleSteps at T', () => {
    const s = noiseSchedule.run!(runContext(noiseSchedule, {}, { params: { T: 10, sampler: 'ddim', sampleSteps: 50 } })).schedule as NoiseSchedule;
    expect(reverseSteps(s)).toBe(10);
  });

  it('the node rejects T outside 10…1000 and unknown kinds', () => {
    expect(resolveParams(noiseSchedule, { T: 5 }).problems.map((p) => p.field)).toEqual(['T']);
    expect(resolveParams(noiseSchedule, { kind: 'quadratic' }).problems[0].message).toMatch(/linear, cosine/);
  });
});
