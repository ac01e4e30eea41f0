// Loss curves of several runs on shared axes, as a Raster: how a fine-tuned run and one from scratch
// compare step by step. Lines only (no text): the caption beside the picture names the colours.
import { Raster, type RGB } from './raster';

export interface Curve {
  steps: number[];
  values: number[];
  color: RGB;
}

export const CURVE_COLORS: readonly RGB[] = [
  [120, 120, 120], // grey: from scratch
  [214, 39, 40], // red: fine-tuned
  [31, 119, 180],
  [44, 160, 44],
];

const AXES: RGB = [60, 60, 60];
const GRID: RGB = [225, 225, 225];

/** A line from (x0, y0) to (x1, y1), `width` pixels thick. */
function line(r: Raster, x0: number, y0: number, x1: number, y1: number, c: RGB, width = 2): void {
  const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= n; i++) {
    const x = Math.round(x0 + ((x1 - x0) * i) / n);
    const y = Math.round(y0 + ((y1 - y0) * i) / n);
    r.fillRect(x - (width >> 1), y - (width >> 1), width, width, c);
  }
}

/**
 * The curves over [0, last step] × [lowest, highest value] with a margin, a horizontal grid line at
 * every `gridStep` of value, and a vertical one every quarter of the steps.
 */
export function curvesPlot(curves: readonly Curve[], width = 640, height = 360, gridStep = 0.1): Raster {
  const r = new Raster(width, height);
  const all = curves.flatMap((c) => c.values.filter(Number.isFinite));
  const maxStep = Math.max(1, ...curves.flatMap((c) => c.steps));
  if (all.length === 0) return r;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  const pad = Math.max(1e-6, (hi - lo) * 0.05);
  lo -= pad;
  hi += pad;
  const m = 24;
  const px = (s: number) => m + (s / maxStep) * (width - 2 * m);
  const py = (v: number) => height - m - ((v - lo) / (hi - lo)) * (height - 2 * m);
  for (let v = Math.ceil(lo / gridStep) * gridStep; v <= hi; v += gridStep) line(r, m, py(v), width - m, py(v), GRID, 1);
  for (let q = 1; q < 4; q++) line(r, px((q * maxStep) / 4), m, px((q * maxStep) / 4), height - m, GRID, 1);
  r.strokeRect(m, m, width - 2 * m, height - 2 * m, AXES);
  for (const c of curves) {
    for (let i = 1; i < c.steps.length; i++) {
      if (!Number.isFinite(c.values[i - 1]) || !Number.isFinite(c.values[i])) continue;
      line(r, px(c.steps[i - 1]), py(c.values[i - 1]), px(c.steps[i]), py(c.values[i]), c.color);
    }
  }
  return r;
}

/** The first step at which `values` reach `target` or lower, or null. */
export function firstStepAtOrBelow(steps: readonly number[], values: readonly number[], target: number): number | null {
  const i = values.findIndex((v) => v <= target);
  return i < 0 ? null : steps[i];
}
