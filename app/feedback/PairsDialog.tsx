// The preference pairs kept for this graph, newest first, each as chosen ≻ rejected thumbnails
// (= for a tie), removable one by one; exported and imported as the preference JSON.
import { useEffect, useRef } from 'react';
import { CandidateView } from './CandidateView';
import { exportFile, importFile, removePair, useFeedback } from './feedbackStore';

/** Beyond this many, the dialog lists the newest and says how many more the file holds. */
const SHOWN = 200;
const THUMB = 44;

export function PairsDialog({ onClose }: { onClose: () => void }) {
  const pairs = useFeedback((s) => s.pairs);
  const name = useFeedback((s) => s.name);
  const message = useFeedback((s) => s.message);
  const real = useFeedback((s) => s.pool?.real);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  if (!pairs) return null;
  const newest = pairs.pairs.map((p, index) => ({ p, index })).reverse().slice(0, SHOWN);
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="pairs-title" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gl-modal__box gl-pairs" data-testid="pairs-dialog">
        <div className="gl-attn__top">
          <h2 id="pairs-title">Preference pairs</h2>
          <span className="gl-muted">“{name}” · {pairs.pairs.length} pair{pairs.pairs.length === 1 ? '' : 's'} of {pairs.kind === 'text' ? 'texts' : pairs.kind === 'image' ? 'images' : 'points'}</span>
          <button className="gl-btn gl-btn--outline gl-attn__close" onClick={onClose} autoFocus>Close</button>
        </div>
        <div className="gl-pairs__actions">
          <button className="gl-btn gl-btn--outline" onClick={exportFile} disabled={pairs.pairs.length === 0} title="Download the pairs as preference JSON">Export</button>
          <button className="gl-btn gl-btn--outline" onClick={() => input.current?.click()} title="Add the pairs of a preference JSON file; a file that does not parse is refused and nothing changes">Import</button>
          <input
            ref={input}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="pairs-import"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f);
            }}
          />
        </div>
        {message && <p className={message.error ? 'gl-error' : 'gl-train-notice'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
        {pairs.pairs.length === 0 ? (
          <p className="gl-muted">No pairs yet: rate samples in the Feedback view, or import a file.</p>
        ) : (
          <ol className="gl-pairs__list">
            {newest.map(({ p, index }) => (
              <li key={index} className="gl-pairs__row" data-testid="pair-row">
                <span className="gl-pairs__n">{index + 1}</span>
                <CandidateView kind={pairs.kind} sample={p.chosen} shape={pairs.shape} real={real} size={THUMB} />
                <span className="gl-pairs__rel" title={p.tie ? 'a tie' : 'preferred over'}>{p.tie ? '=' : '≻'}</span>
                <CandidateView kind={pairs.kind} sample={p.rejected} shape={pairs.shape} real={real} size={THUMB} />
                <span className="gl-muted gl-pairs__who">{p.rater}{p.at ? ` · ${new Date(p.at).toLocaleTimeString()}` : ''}</span>
                <button className="gl-btn gl-btn--link" onClick={() => void removePair(index)} title="Remove this pair" aria-label={`Remove pair ${index + 1}`}>Remove</button>
              </li>
            ))}
          </ol>
        )}
        {pairs.pairs.length > SHOWN && <p className="gl-muted">and {pairs.pairs.length - SHOWN} older pairs, in the exported file.</p>}
      </div>
    </div>
  );
}
