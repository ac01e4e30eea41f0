import { describe, expect, it } from 'vitest';
import { generatePoints } from '../../runtime/data/procedural';
import { chamferDistance } from '../../runtime/metrics/chamfer';

describe('chamferDistance (KAIST DDPM protocol: sums of squared nearest-neighbour distances both ways)', () => {
  it('is 0 for a set against itself', () => {
    const roll = generatePoints('swissroll', 2048, 1).x;
    expect(chamferDistance(roll, roll)).toBe(0);
  });

  it('equals 2·n·‖δ‖² for a copy shifted by δ smaller than half the spacing', () => {
    // A 10×10 lattice of spacing 1: each shifted point's nearest neighbour is its own original.
    const a: number[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) a.push(i, j);
    const d = [0.1, -0.2];
    const b = a.map((v, k) => v + d[k % 2]);
    expect(chamferDistance(Float32Array.from(a), Float64Array.from(b))).toBeCloseTo(2 * 100 * (0.1 ** 2 + 0.2 ** 2), 4);
  });

  it('sums, not averages, and is asymmetric per direction', () => {
    // A→B: 1; B→A: 1 + 9.
    expect(chamferDistance([0, 0], [1, 0, 3, 0])).toBe(11);
  });

  it('refuses clouds that are not whole points', () => {
    expect(() => chamferDistance([0, 0, 1], [0, 0])).toThrow(/2-D points/);
    expect(() => chamferDistance([], [0, 0])).toThrow(/at least one point/);
  });
});
