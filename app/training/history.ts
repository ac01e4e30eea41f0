// Loss history for the chart: one row per reported step, one column per series, null where a series
// has no value at that step (held-out evaluations come less often than training losses).

export interface LossHistory {
  steps: number[];
  /** Training losses keyed by objective; held-out ones keyed `eval:<objective>`. */
  series: Map<string, (number | null)[]>;
  /** Bumped on every change, so views can tell a new row from the same history. */
  version: number;
}

/** Rows kept before the older half is thinned to every other row. */
const MAX_ROWS = 4000;

export const EVAL_PREFIX = 'eval:';

export function emptyHistory(): LossHistory {
  return { steps: [], series: new Map(), version: 0 };
}

/** Appends a row in place (the arrays can be long) and returns a new wrapper for the store. */
export function appendRow(h: LossHistory, step: number, values: Record<string, number>, prefix = ''): LossHistory {
  for (const key of Object.keys(values)) {
    if (!h.series.has(prefix + key)) h.series.set(prefix + key, h.steps.map(() => null));
  }
  h.steps.push(step);
  for (const [key, col] of h.series) {
    const raw = key.startsWith(prefix) ? values[key.slice(prefix.length)] : undefined;
    col.push(raw === undefined || !Number.isFinite(raw) ? null : raw);
  }
  if (h.steps.length > MAX_ROWS) thin(h);
  return { ...h, version: h.version + 1 };
}

/** Drops every other row of the older half, keeping the recent curve at full detail. */
function thin(h: LossHistory): void {
  const half = Math.floor(h.steps.length / 2);
  const keep = (_: unknown, i: number) => i >= half || i % 2 === 0;
  h.steps = h.steps.filter(keep);
  for (const [key, col] of h.series) h.series.set(key, col.filter(keep));
}

/** A copy with only the rows up to `step` (weights from an earlier step were imported). */
export function truncateAfter(h: LossHistory, step: number): LossHistory {
  const n = h.steps.findIndex((x) => x > step);
  if (n < 0) return h;
  return { steps: h.steps.slice(0, n), series: new Map([...h.series].map(([k, col]) => [k, col.slice(0, n)])), version: h.version + 1 };
}
