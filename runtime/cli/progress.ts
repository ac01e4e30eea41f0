// Training progress on stderr: one line redrawn in place on a terminal, plain periodic lines
// otherwise (logs and pipes must stay readable).
import type { ProgressEvent } from '../train/events';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4);
}

export function formatLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k} ${formatLoss(v)}`)
    .join('  ');
}

/** One progress line: step/total, bar (terminal only), losses, speed, ETA. */
export function progressLine(e: ProgressEvent, startStep: number, barWidth = 0): string {
  const done = e.step - startStep;
  const total = e.totalSteps - startStep;
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const filled = Math.round(frac * barWidth);
  const bar = barWidth > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]` : '';
  const eta = e.stepsPerSecond > 0 ? (e.totalSteps - e.step) / e.stepsPerSecond : NaN;
  const width = String(e.totalSteps).length;
  return (
    `step ${String(e.step).padStart(width)}/${e.totalSteps}${bar} ${pct}  ${formatLosses(e.losses)}` +
    `  ${e.stepsPerSecond.toFixed(1)} steps/s  ETA ${formatDuration(eta)}`
  );
}

export class ProgressReporter {
  private lastLineAt = 0;
  private lastMilestone = -1;
  private drawn = false;

  constructor(
    private readonly out: ProgressStream,
    private readonly startStep: number,
    /** Plain mode: print at least this often. */
    private readonly everyMs = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(e: ProgressEvent): void {
    if (this.out.isTTY) {
      const cols = this.out.columns ?? 100;
      let line = progressLine(e, this.startStep, 20);
      if (line.length > cols - 1) line = progressLine(e, this.startStep, 0).slice(0, cols - 1);
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
      return;
    }
    // Every 10% of the run, at the end, and at least every `everyMs` in between.
    const total = e.totalSteps - this.startStep;
    const milestone = total > 0 ? Math.floor(((e.step - this.startStep) * 10) / total) : 10;
    const t = this.now();
    if (milestone > this.lastMilestone || t - this.lastLineAt >= this.everyMs) {
      this.lastMilestone = milestone;
      this.lastLineAt = t;
      this.out.write(progressLine(e, this.startStep) + '\n');
    }
  }

  /** Ends the in-place line so later output starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
