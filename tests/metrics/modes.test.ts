import { describe, expect, it } from 'vitest';
import { RING_CENTRES, RING_SIGMA, GRID_CENTRES, GRID_SIGMA, generatePoints } from '../../runtime/data/procedural';
import { Rng } from '../../nodes/rng';
import { modeQuality } from '../../runtime/metrics/modes';

/** `perMode[k]` samples placed exactly on centre k. */
function onCentres(centres: number[][], perMode: number[]): Float32Array {
  const out: number[] = [];
  perMode.forEach((n, k) => {
    for (let i = 0; i < n; i++) out.push(...centres[k]);
  });
  return Float32Array.from(out);
}

describe('modeQuality', () => {
  it('gives full coverage, 100% high quality and zero reverse KL for samples exactly on the centres', () => {
    const q = modeQuality(onCentres(RING_CENTRES, new Array(8).fill(10)), RING_CENTRES, RING_SIGMA);
    expect(q).toMatchObject({ total: 8, samples: 80, modesHit: 8, modesCovered: 8, highQuality: 1 });
    expect(q.reverseKL).toBeCloseTo(0, 12);
  });

  it('counts a single mode as 1 of 8, with reverse KL log 8', () => {
    const q = modeQuality(onCentres(RING_CENTRES, [0, 0, 0, 50, 0, 0, 0, 0]), RING_CENTRES, RING_SIGMA);
    expect(q.modesHit).toBe(1);
    expect(q.modesCovered).toBe(1);
    expect(q.counts[3]).toBe(50);
    expect(q.reverseKL).toBeCloseTo(Math.log(8), 12);
  });

  it('computes KL(p ‖ uniform) of the high-quality histogram', () => {
    // Half the samples on mode 0, the rest spread evenly over modes 1–4: p = (1/2, 1/8 ×4, 0 ×3).
    const q = modeQuality(onCentres(RING_CENTRES, [40, 10, 10, 10, 10, 0, 0, 0]), RING_CENTRES, RING_SIGMA);
    expect(q.reverseKL).toBeCloseTo(0.5 * Math.log(0.5 * 8) + 4 * (1 / 8) * Math.log((1 / 8) * 8), 12);
    expect(q.modesHit).toBe(5);
  });

  it('draws the high-quality line at 3σ, and separates ≥ 1 sample from ≥ 1% of samples', () => {
    const [cx, cy] = GRID_CENTRES[12];
    const inside = [cx + 2.99 * GRID_SIGMA, cy];
    const outside = [cx, cy - 3.01 * GRID_SIGMA];
    const q = modeQuality(Float32Array.from([...inside, ...outside]), GRID_CENTRES, GRID_SIGMA);
    expect(q.highQuality).toBe(0.5);
    expect(q.counts[12]).toBe(1);
    // 1 sample on mode 0 among 200 is 0.5%: hit, but not covered at 1%.
    const few = onCentres(GRID_CENTRES, [1, 199]);
    const f = modeQuality(few, GRID_CENTRES, GRID_SIGMA);
    expect(f.modesHit).toBe(2);
    expect(f.modesCovered).toBe(1);
  });

  it('has no reverse KL when no sample is of high quality', () => {
    const q = modeQuality(Float32Array.from([10, 10, -10, 10]), RING_CENTRES, RING_SIGMA);
    expect(q.highQuality).toBe(0);
    expect(q.modesHit).toBe(0);
    expect(q.reverseKL).toBeNaN();
  });

  it('scores real ring data at 8/8 with the 2-D Gaussian’s 1 − e^{−4.5} ≈ 98.9% within 3σ', () => {
    const q = modeQuality(generatePoints('ring', 20_000, 5).x, RING_CENTRES, RING_SIGMA);
    expect(q.modesHit).toBe(8);
    expect(q.highQuality).toBeCloseTo(1 - Math.exp(-4.5), 2);
    expect(q.reverseKL).toBeLessThan(0.01);
    // A uniform scatter over the square around the ring is almost never of high quality.
    const rng = new Rng(2);
    const scattered = Float32Array.from({ length: 4000 }, () => rng.next() * 3 - 1.5);
    expect(modeQuality(scattered, RING_CENTRES, RING_SIGMA).highQuality).toBeLessThan(0.01);
  });

  it('refuses input it cannot measure', () => {
    expect(() => modeQuality(Float32Array.from([1, 2, 3]), RING_CENTRES, RING_SIGMA)).toThrow(/whole number of 2-D samples/);
    expect(() => modeQuality(Float32Array.from([1, 2]), RING_CENTRES, 0)).toThrow(/σ must be positive/);
  });
});
