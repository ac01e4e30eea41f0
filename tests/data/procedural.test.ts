import { describe, expect, it } from 'vitest';
import {
  generatePoints,
  GRID_CENTRES,
  GRID_SIGMA,
  modeCoverage,
  modesOf,
  pointSettingsOf,
  PUBLISHED_POINTS,
  RING_CENTRES,
  RING_SIGMA,
  SWISS_ROLL_SCALE,
  swissRollMoments,
} from '../../runtime/data/procedural';
import { Rng } from '../../nodes/rng';

describe('procedural 2-D sets', () => {
  it('put ring samples on the 8 modes, each one used', () => {
    const ring = generatePoints('ring', 4000, 3);
    const cov = modeCoverage(ring.x, RING_CENTRES, RING_SIGMA);
    expect(cov.covered).toBe(8);
    expect(cov.total).toBe(8);
    expect(cov.highQuality).toBeGreaterThan(0.98);
    for (const f of cov.perMode) expect(f).toBeGreaterThan(0.1);
    // Labels name the mode each point came from.
    for (let i = 0; i < 50; i++) {
      const [cx, cy] = RING_CENTRES[ring.labels![i]];
      expect(Math.hypot(ring.x[2 * i] - cx, ring.x[2 * i + 1] - cy)).toBeLessThan(5 * RING_SIGMA);
    }
  });

  it('cover all 25 grid modes', () => {
    const grid = generatePoints('grid', 5000, 4);
    const cov = modeCoverage(grid.x, GRID_CENTRES, GRID_SIGMA);
    expect(cov.covered).toBe(25);
    expect(cov.highQuality).toBeGreaterThan(0.98);
  });

  it('report low coverage for a collapsed or scattered generator', () => {
    const rng = new Rng(5);
    const collapsed = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) {
      collapsed[2 * i] = RING_CENTRES[2][0] + RING_SIGMA * rng.normal();
      collapsed[2 * i + 1] = RING_CENTRES[2][1] + RING_SIGMA * rng.normal();
    }
    const cov = modeCoverage(collapsed, RING_CENTRES, RING_SIGMA);
    expect(cov.covered).toBe(1);
    expect(cov.perMode[2]).toBeGreaterThan(0.95);

    const scattered = Float32Array.from({ length: 2000 }, () => rng.next() * 6 - 3);
    const spread = modeCoverage(scattered, RING_CENTRES, RING_SIGMA);
    expect(spread.highQuality).toBeLessThan(0.05);
  });

  it('are deterministic per seed and differ across seeds', () => {
    expect(generatePoints('moons', 100, 9).x).toEqual(generatePoints('moons', 100, 9).x);
    expect(generatePoints('moons', 100, 9).x).not.toEqual(generatePoints('moons', 100, 10).x);
  });

  it('keep the spiral and moons within about [-2, 2]² and the moons apart', () => {
    for (const name of ['spiral', 'moons'] as const) {
      const p = generatePoints(name, 3000, 1);
      expect(p.x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThan(2.3);
    }
    const spiral = generatePoints('spiral', 3000, 1);
    let maxR = 0;
    for (let i = 0; i < 3000; i++) maxR = Math.max(maxR, Math.hypot(spiral.x[2 * i], spiral.x[2 * i + 1]));
    expect(maxR).toBeGreaterThan(1.8);
    // Upper moon (0) lies mostly above the lower one (1).
    const moons = generatePoints('moons', 2000, 2);
    const meanY = [0, 0];
    const n = [0, 0];
    for (let i = 0; i < 2000; i++) {
      meanY[moons.labels![i]] += moons.x[2 * i + 1];
      n[moons.labels![i]]++;
    }
    expect(meanY[0] / n[0]).toBeGreaterThan(meanY[1] / n[1] + 0.5);
  });
});

describe('published settings and the swiss roll', () => {
  it('put the ring and grid where PacGAN does, and follow a dataset node’s own sizes', () => {
    expect(PUBLISHED_POINTS).toEqual({ ringRadius: 1, ringSigma: 0.01, gridSpacing: 2, gridSigma: 0.05 });
    for (const [k, [x, y]] of RING_CENTRES.entries()) {
      expect(x).toBeCloseTo(Math.cos((2 * Math.PI * k) / 8), 12);
      expect(y).toBeCloseTo(Math.sin((2 * Math.PI * k) / 8), 12);
    }
    expect([...new Set(GRID_CENTRES.map(([x]) => x))].sort((a, b) => a - b)).toEqual([-4, -2, 0, 2, 4]);
    // A wider, looser ring: points sit at its radius, spread by its σ.
    const settings = { ...PUBLISHED_POINTS, ringRadius: 2, ringSigma: 0.04 };
    const ring = generatePoints('ring', 4000, 3, settings);
    const radii = Array.from({ length: 4000 }, (_, i) => Math.hypot(ring.x[2 * i], ring.x[2 * i + 1]));
    const mean = radii.reduce((a, b) => a + b, 0) / radii.length;
    const sd = Math.sqrt(radii.reduce((a, r) => a + (r - mean) ** 2, 0) / radii.length);
    expect(mean).toBeCloseTo(2, 2);
    expect(sd).toBeGreaterThan(0.035);
    expect(sd).toBeLessThan(0.045);
    expect(modesOf('ring', settings)!.sigma).toBe(0.04);
    expect(modesOf('grid', { ...PUBLISHED_POINTS, gridSpacing: 1 })!.centres[0]).toEqual([-2, -2]);
    expect(pointSettingsOf({ dataset: 'ring', ringRadius: 3 })).toEqual({ ...PUBLISHED_POINTS, ringRadius: 3 });
  });

  it('make the swiss roll of make_swiss_roll(noise=0, hole=True), columns 0 and 2, standardised as one array and ×2', () => {
    const n = 200_000;
    const roll = generatePoints('swissroll', n, 7);
    let sum = 0;
    for (const v of roll.x) sum += v;
    const mean = sum / (2 * n);
    let sq = 0;
    for (const v of roll.x) sq += (v - mean) ** 2;
    // One scalar mean and std over both columns, as numpy's ds.mean() and ds.std() take them.
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.sqrt(sq / (2 * n))).toBeCloseTo(2, 2);
    // The closed-form moments the generator standardises with agree with sampling sklearn's recipe.
    const exact = swissRollMoments();
    const sampled = swissRollMomentsForTest(400_000);
    expect(Math.abs(exact.mean - sampled.mean)).toBeLessThan(0.03);
    expect(Math.abs(exact.std / sampled.std - 1)).toBeLessThan(0.005);
    // Undone, every point is t·(cos t, sin t) for an angle t in [1.5π, 4.5π], and the middle turn
    // holds 2 of the 8 cells of the (t, y) rectangle.
    const s = exact.std / SWISS_ROLL_SCALE;
    const m0 = exact.mean;
    const t = (i: number) => Math.hypot(roll.x[2 * i] * s + m0, roll.x[2 * i + 1] * s + m0);
    let middle = 0;
    let tMin = Infinity;
    let tMax = -Infinity;
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const ti = t(i);
      const x = roll.x[2 * i] * s + m0;
      const z = roll.x[2 * i + 1] * s + m0;
      tMin = Math.min(tMin, ti);
      tMax = Math.max(tMax, ti);
      worst = Math.max(worst, (Math.abs(x - ti * Math.cos(ti)) + Math.abs(z - ti * Math.sin(ti))) / ti);
      if (ti > 2.5 * Math.PI && ti < 3.5 * Math.PI) middle++;
    }
    expect(tMin).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-3);
    expect(tMax).toBeLessThanOrEqual(4.5 * Math.PI + 1e-3);
    expect(worst).toBeLessThan(1e-4);
    expect(middle / 20_000).toBeCloseTo(2 / 8, 1);
  });
});

/** The roll's raw (unstandardised) moments estimated by sampling sklearn's recipe directly. */
function swissRollMomentsForTest(n: number): { mean: number; std: number } {
  const rng = new Rng(11);
  const corners: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (!(i === 1 && j === 1)) corners.push(Math.PI * (1.5 + i));
  const values = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const tt = corners[rng.int(8)] + Math.PI * rng.next();
    values[2 * k] = tt * Math.cos(tt);
    values[2 * k + 1] = tt * Math.sin(tt);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}
