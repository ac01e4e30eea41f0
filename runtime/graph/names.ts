// "Did you mean …?" for unknown node types, fields and settings. The names come from files, so the
// work is bounded whatever their length: names longer than MAX_COMPARED get no suggestion, and the
// edit distance is computed only in a band of width 2·limit + 1 around the diagonal.

/** Longer names are not typos of a known one (known names are short identifiers). */
export const MAX_COMPARED = 64;

/** Counts the table cells computed, so tests can check the work done rather than the time taken. */
export interface DistanceWork {
  cells: number;
}

/** Levenshtein distance of a and b if it is at most `limit`, otherwise limit + 1. */
export function boundedDistance(a: string, b: string, limit: number, work?: DistanceWork): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const over = limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : over));
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(over);
    cur[0] = i <= limit ? i : over;
    const lo = Math.max(1, i - limit);
    const hi = Math.min(b.length, i + limit);
    let best = cur[0];
    for (let j = lo; j <= hi; j++) {
      cur[j] = Math.min(over, prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (work) work.cells += hi - lo + 1;
    if (best > limit) return over;
    prev = cur;
  }
  return Math.min(prev[b.length], over);
}

/** Known names close to `name` (typos, other case, prefixes), closest first. */
export function closeMatches(name: string, known: readonly string[], max = 3, work?: DistanceWork): string[] {
  if (name.length === 0 || name.length > MAX_COMPARED) return [];
  const n = name.toLowerCase();
  const hits: { k: string; dist: number }[] = [];
  for (const k of known) {
    if (k.length > MAX_COMPARED) continue;
    const kl = k.toLowerCase();
    const limit = Math.max(2, Math.floor(Math.max(k.length, name.length) / 3));
    const dist = kl.startsWith(n) || n.startsWith(kl) ? 0.5 : boundedDistance(n, kl, limit, work);
    if (dist <= limit) hits.push({ k, dist });
  }
  return hits
    .sort((a, b) => a.dist - b.dist)
    .slice(0, max)
    .map(({ k }) => k);
}
