// A diffusion model's reverse process, frame by frame: from pure noise x_T to the sample x_0.
import { useEffect, useMemo, useState } from 'react';
import type { DenoisingFrames } from '../../runtime/worker/protocol';
import { extent, ImageGrid, PointScatter, type Extent } from './SampleView';
import { readDenoising } from './trainingStore';

const FRAMES = 8;

/** Points: enough to see a shape. Images: a 4×4 grid per frame stays legible at strip size. */
const countFor = (kind: 'images' | 'points') => (kind === 'images' ? 16 : 400);

function label(done: number, steps: number): string {
  if (done === 0) return 'noise x_T';
  if (done === steps) return `sample x_0 · step ${steps}`;
  return `step ${done} / ${steps}`;
}

export function DenoisingDialog({ kind, step, onClose }: { kind: 'images' | 'points'; step: number; onClose: () => void }) {
  const [run, setRun] = useState<DenoisingFrames | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    readDenoising(countFor(kind), FRAMES).then(
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
            {run.frames.map((f, i) => (
              <li key={i} className="gl-denoise__frame">
                {f.batch.kind === 'points' && <PointScatter batch={f.batch} frame={frame} small className="gl-denoise__canvas" />}
                {f.batch.kind === 'images' && <ImageGrid batch={f.batch} className="gl-denoise__canvas gl-denoise__canvas--images" />}
                <span>{label(f.done, run.steps)}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
