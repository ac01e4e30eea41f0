// "Did you mean …?" for unknown node types.

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Known names close to `name` (typos, other case, prefixes), closest first. */
export function closeMatches(name: string, known: readonly string[], max = 3): string[] {
  const n = name.toLowerCase();
  return known
    .map((k) => {
      const kl = k.toLowerCase();
      const dist = kl.startsWith(n) || n.startsWith(kl) ? 0.5 : editDistance(n, kl);
      return { k, dist };
    })
    .filter(({ k, dist }) => dist <= Math.max(2, Math.floor(Math.max(k.length, name.length) / 3)))
    .sort((a, b) => a.dist - b.dist)
    .slice(0, max)
    .map(({ k }) => k);
}
