// The attention of a language model while it reads one of its own samples: per layer, one heatmap
// per head, the characters read (queries) down the side and the characters looked at (keys) across.
import { useEffect, useRef, useState } from 'react';
import type { AttentionMap } from '../../nodes/transformer/text-sampler';
import type { AttentionView } from '../../runtime/worker/protocol';
import { cellAt, drawHeatmap, heatmapLayout } from './heatmap';
import { readAttention } from './trainingStore';
import { NextCharBars } from './NextCharBars';

function Head({ map, head, tokens, onHover, onQuery }: { map: AttentionMap; head: number; tokens: string[]; onHover: (text: string) => void; onQuery: (row: number) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawHeatmap(ref.current, map.weights, head, tokens);
  }, [map, head, tokens]);
  const T = tokens.length;
  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const at = cellAt(heatmapLayout(T), T, e.clientX - box.left, e.clientY - box.top);
    if (at) onQuery(at.query);
    if (!at || at.key > at.query) return onHover('');
    const w = map.weights[head * T * T + at.query * T + at.key];
    onHover(`Head ${head + 1}: “${tokens[at.query]}” (position ${at.query + 1}) gives “${tokens[at.key]}” (position ${at.key + 1}) ${(w * 100).toFixed(1)}% of its attention`);
  };
  return (
    <figure className="gl-attn__head">
      <canvas ref={ref} onMouseMove={onMove} onMouseLeave={() => onHover('')} aria-label={`attention of head ${head + 1}`} />
      <figcaption>head {head + 1}</figcaption>
    </figure>
  );
}

export function AttentionDialog({ samples, onClose }: { samples: string[]; onClose: () => void }) {
  const [index, setIndex] = useState(0);
  const [layer, setLayer] = useState(0);
  const [result, setResult] = useState<{ text: string; view?: AttentionView; error?: string } | null>(null);
  const [hover, setHover] = useState('');
  const [query, setQuery] = useState<number | null>(null);
  const text = samples[index] ?? '';
  // Until the worker answers for this sample, nothing is shown rather than the previous sample's maps.
  const current = result?.text === text ? result : null;
  const view = current?.view ?? null;
  const error = current?.error ?? null;
  useEffect(() => {
    let live = true;
    readAttention(text).then(
      (v) => live && setResult({ text, view: v }),
      (err: unknown) => live && setResult({ text, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [text]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const map = view?.maps[Math.min(layer, view.maps.length - 1)];
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="attn-title" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gl-modal__box gl-attn" data-testid="attention">
        <div className="gl-attn__top">
          <h2 id="attn-title">Attention</h2>
          <label className="gl-attn__pick">
            sample
            <select className="gl-backend__select" value={index} onChange={(e) => setIndex(Number(e.target.value))} aria-label="Sample">
              {samples.map((s, i) => <option key={i} value={i}>{i + 1}: {s.length > 24 ? `${s.slice(0, 24)}…` : s || '(empty)'}</option>)}
            </select>
          </label>
          {view && view.maps.length > 1 && (
            <div className="gl-attn__layers" role="tablist" aria-label="Layer">
              {view.maps.map((m, i) => (
                <button key={m.layer} role="tab" aria-selected={i === layer} className={`gl-btn ${i === layer ? 'gl-btn--primary' : 'gl-btn--outline'}`} onClick={() => setLayer(i)} title={m.layer}>
                  Layer {i + 1}
                </button>
              ))}
            </div>
          )}
          <button className="gl-btn gl-btn--outline gl-attn__close" onClick={onClose} autoFocus>Close</button>
        </div>
        <p className="gl-muted gl-attn__help">
          Each row is a character the model reads; the row shows where its attention goes among the characters up to it (columns). Darker is more; grey is hidden by the causal mask.
          {view && view.cropped > 0 ? ` The last ${view.tokens.length} characters of the sample.` : ''}
        </p>
        {error && <p className="gl-error">{error}</p>}
        {!view && !error && <p className="gl-muted">Reading the attention weights…</p>}
        {view && map && (
          <div className="gl-attn__heads">
            {Array.from({ length: map.heads }, (_, h) => <Head key={`${map.layer}/${h}`} map={map} head={h} tokens={view.tokens} onHover={setHover} onQuery={setQuery} />)}
            <NextCharBars view={view} position={Math.min(query ?? view.tokens.length - 1, view.tokens.length - 1)} />
          </div>
        )}
        {view && <p className="gl-muted gl-attn__readout" aria-live="polite">{hover || 'Point at a cell to read its weight.'}</p>}
      </div>
    </div>
  );
}
