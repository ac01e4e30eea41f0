// Samples cut from a batch and put back together, and quartets ordered by how unsure the reward model is.
import { describe, expect, it } from 'vitest';
import { batchOf, candidatesOf, pick } from '../../app/feedback/candidates';
import { groupsLeastSureFirst, rewardSpread } from '../../app/feedback/uncertainty';

describe('candidates', () => {
  it('cuts an image batch into one sample per image and joins them back', () => {
    const data = Float32Array.from({ length: 3 * 2 * 2 * 1 }, (_, i) => i / 12 - 0.5);
    const c = candidatesOf({ kind: 'images', count: 3, height: 2, width: 2, channels: 1, data });
    expect(c.shape).toEqual([2, 2, 1]);
    expect(c.items).toHaveLength(3);
    expect(c.items[1]).toEqual(Array.from(data.subarray(4, 8), (v) => Math.round(v * 1e4) / 1e4));
    const back = batchOf(c.kind, pick(c, [2, 0]).items, c.shape);
    expect(back.kind === 'images' && Array.from(back.data.subarray(0, 4))).toEqual(Array.from(data.subarray(8, 12), (v) => Math.fround(Math.round(v * 1e4) / 1e4)));
  });

  it('keeps each point as its two coordinates, with the real points to draw it against', () => {
    const real = new Float32Array([9, 9]);
    const c = candidatesOf({ kind: 'points', count: 2, data: new Float32Array([0.5, -1, 2, 3]), real });
    expect(c.items).toEqual([[0.5, -1], [2, 3]]);
    expect(c.real).toBe(real);
  });

  it('refuses to rebuild images without their shape', () => {
    expect(() => batchOf('image', [[0, 0]])).toThrow(/shape \[height, width, channels\]/);
  });
});

describe('least sure first', () => {
  it('measures the mean reward gap over every pair of a group', () => {
    // gaps 1, 3, 2 → mean 2
    expect(rewardSpread([0, 1, 3])).toBeCloseTo(2);
    expect(rewardSpread([5])).toBe(0);
  });

  it('puts the group with the closest rewards first and drops a short tail', () => {
    const rewards = [0, 4, 8, 12, /* close */ 1, 1.1, 1.2, 1.3, /* middle */ 0, 1, 2, 3, 7];
    const groups = groupsLeastSureFirst(rewards.length, 4, rewards);
    expect(groups.map((g) => g[0])).toEqual([4, 8, 0]);
    expect(groups.flat()).not.toContain(12);
    const spreads = groups.map((g) => rewardSpread(g.map((i) => rewards[i])));
    expect([...spreads].sort((a, b) => a - b)).toEqual(spreads);
  });

  it('keeps the drawn order without a reward model, and names a wrong reward count', () => {
    expect(groupsLeastSureFirst(8, 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(() => groupsLeastSureFirst(8, 4, [1, 2])).toThrow(/expected 8 rewards/);
  });
});
