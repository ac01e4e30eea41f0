// Two runs on one chart: the current run's curves and a stored run's, on a shared step axis. The
// stored run's series are named after it, so the chart gives them colours and a legend of their own.
import { EVAL_PREFIX, type LossHistory } from '../training/history';
import type { RunCurve } from './runs';

/** The series key a compared run's `key` is shown under (held-out series stay held out, so dashed). */
export function comparedKey(label: string, key: string): string {
  return key.startsWith(EVAL_PREFIX) ? `${EVAL_PREFIX}${label} · ${key.slice(EVAL_PREFIX.length)}` : `${label} · ${key}`;
}

export function overlay(current: LossHistory, other: RunCurve, label: string): LossHistory {
  const steps = [...new Set([...current.steps, ...other.steps])].sort((a, b) => a - b);
  const at = new Map(steps.map((s, i) => [s, i]));
  const spread = (from: number[], col: (number | null)[]) => {
    const out: (number | null)[] = steps.map(() => null);
    from.forEach((s, i) => (out[at.get(s)!] = col[i] ?? null));
    return out;
  };
  const series = new Map<string, (number | null)[]>();
  for (const [k, col] of current.series) series.set(k, spread(current.steps, col));
  for (const [k, col] of other.series) series.set(comparedKey(label, k), spread(other.steps, col));
  return { steps, series, version: current.version };
}
