// A VAE's latent space, redrawn as it trains: with a 2-D latent, the latent map (the decoder's image
// at each point of a grid over the plane), and for any latent an interpolation strip, the images
// along a straight line between two points drawn from the prior.
import { useEffect, useState } from 'react';
import type { LatentView } from '../../runtime/worker/protocol';
import { ImageGrid } from './SampleView';
import { readLatent, useTraining } from './trainingStore';

/** Map cells per side over [-RANGE, RANGE]²: ±3 holds 99.7% of the prior on each axis. */
const CELLS = 12;
const RANGE = 3;
const STRIP = 10;

type ImageBatch = LatentView['strip'];

/** Image i of a batch on its own. */
function one(batch: ImageBatch, i: number): ImageBatch {
  const size = batch.height * batch.width * batch.channels;
  return { ...batch, count: 1, data: batch.data.subarray(i * size, (i + 1) * size) };
}

const meanOf = (batch: ImageBatch, i: number) => {
  const size = batch.height * batch.width * batch.channels;
  let s = 0;
  for (let k = i * size; k < (i + 1) * size; k++) s += batch.data[k];
  return s / size;
};

/** A few values as the page shows them, for anyone checking the view against the model. */
function probe(v: LatentView, step: number): string {
  const tiles = v.map ? [[0, 0], [Math.floor(v.n / 2), 3], [v.n - 1, v.n - 2]].map(([r, c]) => [r, c, meanOf(v.map!, r * v.n + c)]) : [];
  const strip = [0, Math.floor(v.strip.count / 2), v.strip.count - 1].map((k) => [k, meanOf(v.strip, k)]);
  return JSON.stringify({ step, n: v.n, range: v.range, dim: v.dim, from: Array.from(v.from), to: Array.from(v.to), count: v.strip.count, tiles, strip });
}

export function LatentDialog({ onClose }: { onClose: () => void }) {
  const step = useTraining((s) => s.samples?.step ?? s.step);
  const [seed, setSeed] = useState(7);
  const [view, setView] = useState<{ step: number; v: LatentView } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    readLatent(CELLS, RANGE, STRIP, seed).then(
      (v) => live && (setView({ step, v }), setError(null)),
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [step, seed]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const v = view?.v;
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="latent-title" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gl-modal__box gl-latent" data-testid="latent" data-latent={view ? probe(view.v, view.step) : ''}>
        <div className="gl-attn__top">
          <h2 id="latent-title">Latent space</h2>
          <span className="gl-muted">the model at step {(view?.step ?? step).toLocaleString('en-US')}, redrawn as it trains</span>
          <button className="gl-btn gl-btn--outline gl-attn__close" onClick={onClose} autoFocus>Close</button>
        </div>
        {error && <p className="gl-error">{error}</p>}
        {!v && !error && <p className="gl-muted">Decoding…</p>}
        {v?.map && (
          <figure className="gl-latent__map">
            <ImageGrid batch={v.map} className="gl-latent__canvas" />
            <figcaption className="gl-muted">
              The decoder’s image at each point of the latent plane, z₁ from −{v.range} (left) to {v.range} (right), z₂ from {v.range} (top) to −{v.range}.
              Neighbouring points decode to similar images; where digits blend, the plane has no room for them yet.
            </figcaption>
          </figure>
        )}
        {v && (
          <figure className="gl-latent__strip">
            <ol className="gl-denoise__strip">
              {Array.from({ length: v.strip.count }, (_, k) => (
                <li key={k} className="gl-denoise__frame"><ImageGrid batch={one(v.strip, k)} className="gl-latent__frame" /></li>
              ))}
            </ol>
            <figcaption className="gl-muted">
              From one point of the prior to another ({v.dim}-D latent), in {v.strip.count - 1} equal steps: a smooth change means the decoder has learned a continuous space.
              <button className="gl-btn gl-btn--link" onClick={() => setSeed((s) => s + 1)}>Two other points</button>
            </figcaption>
          </figure>
        )}
      </div>
    </div>
  );
}
