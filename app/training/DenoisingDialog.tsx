// A diffusion model's reverse process, frame by frame: from pure noise x_T to the sample x_0.
import { useEffect, useMemo, useState } from 'react';
import type { SampleBatch } from '../../runtime/train/events';
import type { DenoisingFrames } from '../../runtime/worker/protocol';
import { extent, ImageGrid, PointScatter, type Extent } from './SampleView';
import { readDenoising } from './trainingStore';

/** Frames in the strip; the slider reaches every one of up to SLIDER_FRAMES states of the run. */
const FRAMES = 8;
const SLIDER_FRAMES = 51;

/** Points: enough to see a shape. Images: a 4×4 grid per frame stays legible at strip size. */
const countFor = (kind: 'images' | 'points') => (kind === 'images' ? 16 : 400);

/** The strip's frames: FRAMES evenly spaced among all the run's frames, first and last included. */
function stripOf<T>(all: T[]): T[] {
  if (all.length <= FRAMES) return all;
  return Array.from({ length: FRAMES }, (_, k) => all[Math.round((k * (all.length - 1)) / (FRAMES - 1))]);
}

/** A few values of the frame shown, for anyone checking the view against the model. */
function probe(batch: SampleBatch, done: number, steps: number): string {
  const head = batch.kind === 'text' ? [] : Array.from(batch.data.subarray(0, 8));
  return JSON.stringify({ done, steps, head });
}

function label(done: number, steps: number): string {
  if (done === 0) return 'noise x_T';
  if (done === steps) return `sample x_0 · step ${steps}`;
  return `step ${done} / ${steps}`;
}

/** The frame the slider points at (the sample x_0 until it moves). */
function shownAt(run: DenoisingFrames, at: number | null) {
  return run.frames[Math.min(at ?? run.frames.length - 1, run.frames.length - 1)];
}

/** One frame at a time, large, picked with a slider over every frame of the run. */
function Scrubber({ run, at, onAt, frame }: { run: DenoisingFrames; at: number | null; onAt: (i: number) => void; frame: Extent | undefined }) {
  const f = shownAt(run, at);
  return (
    <div className="gl-denoise__scrub" data-testid="denoising-frame" data-frame={probe(f.batch, f.done, run.steps)}>
      <label className="gl-denoise__slider">
        <span>reverse step {f.done} of {run.steps}: {f.done === 0 ? 'pure noise' : f.done === run.steps ? 'the sample' : `${run.steps - f.done} steps of noise left`}</span>
        <input type="range" min={0} max={run.frames.length - 1} step={1} value={at ?? run.frames.length - 1} onChange={(e) => onAt(Number(e.target.value))} aria-label="Timestep" />
      </label>
      {f.batch.kind === 'points' && <PointScatter batch={f.batch} frame={frame} className="gl-denoise__big" />}
      {f.batch.kind === 'images' && <ImageGrid batch={f.batch} className="gl-denoise__big gl-denoise__canvas--images" />}
    </div>
  );
}

export function DenoisingDialog({ kind, step, onClose }: { kind: 'images' | 'points'; step: number; onClose: () => void }) {
  const [run, setRun] = useState<DenoisingFrames | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    readDenoising(countFor(kind), SLIDER_FRAMES).then(
      (r) => live && setRun(r),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [kind, step]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  // One frame for every panel: the real data with a margin, so the points visibly gather onto it
  // (the widest of the starting noise falls outside).
  const frame = useMemo<Extent | undefined>(() => {
    const first = run?.frames[0]?.batch;
    if (first?.kind !== 'points') return undefined;
    const { lo, hi } = extent(first.real, new Float32Array());
    const pad = (hi - lo) * 0.2;
    return { lo: lo - pad, hi: hi + pad };
  }, [run]);
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="denoise-title" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gl-modal__box gl-denoise" data-testid="denoising">
        <div className="gl-attn__top">
          <h2 id="denoise-title">Denoising step by step</h2>
          <span className="gl-muted">the model at step {step.toLocaleString('en-US')}</span>
          <button className="gl-btn gl-btn--outline gl-attn__close" onClick={onClose} autoFocus>Close</button>
        </div>
        <p className="gl-muted gl-attn__help">
          One reverse run of the sampler: it starts from Gaussian noise and removes the noise the model predicts, step by step.
          {kind === 'points' ? ' Grey: real data.' : ''}
        </p>
        {error && <p className="gl-error">{error}</p>}
        {!run && !error && <p className="gl-muted">Running the sampler…</p>}
        {run && (
          <ol className="gl-denoise__strip">
            {stripOf(run.frames).map((f) => (
              <li key={f.done} className={`gl-denoise__frame${shownAt(run, at).done === f.done ? ' is-current' : ''}`}>
                {f.batch.kind === 'points' && <PointScatter batch={f.batch} frame={frame} small className="gl-denoise__canvas" />}
                {f.batch.kind === 'images' && <ImageGrid batch={f.batch} className="gl-denoise__canvas gl-denoise__canvas--images" />}
                <span>{label(f.done, run.steps)}</span>
              </li>
            ))}
          </ol>
        )}
        {run && <Scrubber run={run} at={at} onAt={setAt} frame={frame} />}
      </div>
    </div>
  );
}
