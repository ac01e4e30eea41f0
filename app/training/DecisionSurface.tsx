// A 2-D GAN's samples over the discriminator's decision surface, as GAN Lab shows them: the plane
// coloured by D's score (green where D says "real", purple where it says "fake"), the real and
// generated points on top, and at each generated point an arrow along ∇ₓD, the way the generator's
// loss pushes it. Refreshed whenever a new sample batch arrives, one request at a time. Any other
// score over the plane (a reward model's) is drawn the same way through SurfaceScatter.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SampleBatch } from '../../runtime/train/events';
import type { DecisionSurface } from '../../runtime/worker/protocol';
import { extent, PointScatter, type Extent } from './SampleView';
import { readSurface } from './trainingStore';

type PointBatch = Extract<SampleBatch, { kind: 'points' }>;

/** Grid cells per side: fine enough to show a ring's modes, cheap enough to score between steps. */
const CELLS = 40;
/** The longest arrow, in CSS pixels; the others scale with their gradient's length. */
const ARROW_PX = 14;

const FAKE = [142, 84, 190];
const REAL = [58, 160, 92];

function fill(canvas: HTMLCanvasElement, s: DecisionSurface, lo: number, hi: number): void {
  canvas.width = canvas.height = s.n;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(s.n, s.n);
  const span = hi - lo || 1;
  for (let i = 0; i < s.n * s.n; i++) {
    const t = Math.max(0, Math.min(1, (s.scores[i] - lo) / span));
    for (let c = 0; c < 3; c++) img.data[4 * i + c] = Math.round(255 - (255 - (t >= 0.5 ? REAL : FAKE)[c]) * Math.abs(2 * t - 1) * 0.75);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function arrows(canvas: HTMLCanvasElement, s: DecisionSurface): void {
  const css = canvas.clientHeight || 164;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(css * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  let longest = 0;
  for (let i = 0; i + 1 < s.gradients.length; i += 2) longest = Math.max(longest, Math.hypot(s.gradients[i], s.gradients[i + 1]));
  if (!(longest > 0)) return;
  const px = (v: number) => ((v - s.lo) / (s.hi - s.lo)) * css;
  ctx.strokeStyle = 'rgba(30, 40, 60, 0.75)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i + 1 < s.points.length; i += 2) {
    const x = px(s.points[i]);
    const y = css - px(s.points[i + 1]);
    const dx = (s.gradients[i] / longest) * ARROW_PX;
    const dy = -(s.gradients[i + 1] / longest) * ARROW_PX;
    if (Math.hypot(dx, dy) < 1) continue;
    const [ex, ey] = [x + dx, y + dy];
    ctx.moveTo(x, y);
    ctx.lineTo(ex, ey);
    const a = Math.atan2(dy, dx);
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - 3 * Math.cos(a - 0.5), ey - 3 * Math.sin(a - 0.5));
    ctx.moveTo(ex, ey);
    ctx.lineTo(ex - 3 * Math.cos(a + 0.5), ey - 3 * Math.sin(a + 0.5));
  }
  ctx.stroke();
}

/** A few values as the page shows them, for anyone checking the view against the model. */
function probe(s: DecisionSurface, step: number) {
  const n = s.n;
  const cells = [[0, 0], [Math.floor(n / 2), Math.floor(n / 3)], [n - 1, n - 1], [Math.floor(n / 4), n - 2]].map(([row, col]) => [row, col, s.scores[row * n + col]]);
  const arrowsAt = [0, 1, 2].filter((i) => 2 * i + 1 < s.points.length).map((i) => [s.points[2 * i], s.points[2 * i + 1], s.gradients[2 * i], s.gradients[2 * i + 1]]);
  return JSON.stringify({ step, n, lo: s.lo, hi: s.hi, cells, arrows: arrowsAt });
}

/** What a surface shows: its reader, and the words around it. */
export interface SurfaceSource {
  read(frame: { lo: number; hi: number }, n: number, points: Float32Array): Promise<DecisionSurface>;
  testId: string;
  /** The heatmap's accessible name. */
  heatLabel: string;
  /** The legend's name for the score, and its tooltip. */
  scoreName: string;
  legendTitle: string;
}

const DISCRIMINATOR: SurfaceSource = {
  read: readSurface,
  testId: 'decision-surface',
  heatLabel: 'discriminator score over the plane',
  scoreName: 'D score',
  legendTitle: "The discriminator's score (before any sigmoid): green where it says real, purple where it says fake. Arrows: the direction the generator's loss pushes each generated point.",
};

export function DecisionSurfaceScatter({ batch, step }: { batch: PointBatch; step: number }) {
  return <SurfaceScatter batch={batch} step={step} source={DISCRIMINATOR} />;
}

/** Points over a score surface; `step` (or any change of it) asks for the surface again. */
export function SurfaceScatter({ batch, step, source }: { batch: PointBatch; step: number; source: SurfaceSource }) {
  const frame = useMemo<Extent>(() => (batch.real.length ? extent(batch.real, new Float32Array()) : extent(batch.data, new Float32Array())), [batch]);
  const [surface, setSurface] = useState<{ step: number; s: DecisionSurface } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heat = useRef<HTMLCanvasElement>(null);
  const top = useRef<HTMLCanvasElement>(null);
  // One request in flight; a batch that arrives meanwhile is scored when it returns (the latest only).
  const flight = useRef<{ busy: boolean; next: (() => void) | null; mounted: boolean }>({ busy: false, next: null, mounted: true });
  useEffect(() => {
    const f = flight.current;
    f.mounted = true;
    return () => {
      f.mounted = false;
    };
  }, []);
  useEffect(() => {
    const f = flight.current;
    const ask = () => {
      f.busy = true;
      source.read(frame, CELLS, batch.data).then(
        (s) => f.mounted && (setSurface({ step, s }), setError(null)),
        (err: unknown) => f.mounted && setError(err instanceof Error ? err.message : String(err)),
      ).finally(() => {
        f.busy = false;
        const next = f.next;
        f.next = null;
        next?.();
      });
    };
    if (f.busy) f.next = ask;
    else ask();
  }, [batch, frame, step, source]);
  const range = useMemo(() => {
    if (!surface) return null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of surface.s.scores) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return Number.isFinite(lo) ? { lo, hi } : null;
  }, [surface]);
  useEffect(() => {
    if (!surface || !range) return;
    if (heat.current) fill(heat.current, surface.s, range.lo, range.hi);
    if (top.current) arrows(top.current, surface.s);
  }, [surface, range]);
  return (
    <div className="gl-surface" data-testid={source.testId} data-surface={surface ? probe(surface.s, surface.step) : ''} title={error ?? undefined}>
      <div className="gl-surface__plot">
        <canvas ref={heat} className="gl-surface__heat" aria-label={source.heatLabel} />
        <PointScatter batch={batch} frame={frame} className="gl-samples__scatter gl-surface__points" />
        <canvas ref={top} className="gl-surface__arrows" aria-label="generator gradient at each generated point" />
      </div>
      {range && (
        <span className="gl-surface__legend" title={source.legendTitle}>
          <i className="gl-surface__key gl-surface__key--fake" />{range.lo.toFixed(2)} {source.scoreName} {range.hi.toFixed(2)}<i className="gl-surface__key gl-surface__key--real" />
        </span>
      )}
    </div>
  );
}
