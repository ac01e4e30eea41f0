// The examples gallery: each example's name, description and a mini preview; opening one is undoable.
import { EXAMPLES, type Example } from '../examples';
import { edit, graphOpened, showToast, store, useStore } from '../store/store';
import { loadDocument } from '../store/edits';
import { ExamplePreview } from './ExamplePreview';

function open(ex: Example) {
  if (!ex.doc) return;
  const doc = ex.doc;
  edit((s) => loadDocument(s, doc, `Open example “${ex.name}”`));
  store.set((s) => ({ ...s, galleryOpen: false }));
  graphOpened();
  showToast(`Opened “${ex.name}”. Ctrl+Z goes back to your previous graph.`);
}

export function ExamplesGallery() {
  const isOpen = useStore((s) => s.galleryOpen);
  if (!isOpen) return null;
  const close = () => store.set((s) => ({ ...s, galleryOpen: false }));
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="examples-title" onMouseDown={(e) => e.target === e.currentTarget && close()} onKeyDown={(e) => e.key === 'Escape' && close()}>
      <div className="gl-modal__box gl-gallery">
        <div className="gl-gallery__head">
          <h2 id="examples-title">Examples</h2>
          <button className="gl-btn gl-btn--ghost" onClick={close} aria-label="Close" autoFocus>✕</button>
        </div>
        {EXAMPLES.length === 0 ? (
          <p className="gl-muted">No examples yet. Add graph files to the examples/ folder and they appear here.</p>
        ) : (
          <div className="gl-gallery__grid">
            {EXAMPLES.map((ex) => (
              <button key={ex.id} className="gl-card" onClick={() => open(ex)} disabled={!ex.doc} title={ex.problems.map((p) => p.message).join('\n') || `Open ${ex.name}`}>
                {ex.doc ? <ExamplePreview doc={ex.doc} /> : <div className="gl-preview gl-preview--broken">cannot be opened</div>}
                <span className="gl-card__name">{ex.name}</span>
                <span className="gl-card__desc">{ex.doc ? ex.description : `${ex.problems.length} problem(s): ${ex.problems[0]?.message ?? ''}`}</span>
              </button>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
