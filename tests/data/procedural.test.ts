import { describe, expect, it } from 'vitest';
import {
  generatePoints,
  GRID_CENTRES,
  GRID_SIGMA,
  modeCoverage,
  RING_CENTRES,
  RING_SIGMA,
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
