// Which quartets to ask about first: those whose samples the reward model can barely tell apart.
// A pair the model already ranks by a wide margin teaches it little; a close one is where a label
// moves the fit (uncertainty sampling, as in active preference learning).

/** The mean |r_a − r_b| over every pair in one group of rewards: small means the model is unsure. */
export function rewardSpread(rewards: readonly number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < rewards.length; a++) {
    for (let b = a + 1; b < rewards.length; b++) {
      sum += Math.abs(rewards[a] - rewards[b]);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}

/**
 * Splits candidates 0…n−1 into consecutive groups of `size` (a short tail is dropped) and orders the
 * groups by their reward spread, smallest first. Without rewards the groups keep their drawn order.
 */
export function groupsLeastSureFirst(count: number, size: number, rewards?: ArrayLike<number>): number[][] {
  if (!Number.isInteger(size) || size < 2) throw new Error(`a group needs at least 2 candidates, got ${size}`);
  if (rewards && rewards.length !== count) throw new Error(`expected ${count} rewards, one per candidate, got ${rewards.length}`);
  const groups: number[][] = [];
  for (let start = 0; start + size <= count; start += size) groups.push(Array.from({ length: size }, (_, i) => start + i));
  if (!rewards) return groups;
  const spread = groups.map((g) => rewardSpread(g.map((i) => rewards[i])));
  return groups.map((g, i) => ({ g, s: spread[i] })).sort((x, y) => x.s - y.s).map((x) => x.g);
}
