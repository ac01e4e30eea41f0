// The training panel's door to runs and checkpoints kept in the browser.
import { useEffect, useState } from 'react';
import type { GraphDocument } from '../../runtime/graph/document';
import { CheckpointList } from './CheckpointList';
import { RunList } from './RunList';
import { startTracking } from './tracker';
import './runs.css';

function RunsDialog({ doc, onClose }: { doc: GraphDocument; onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="runs-dialog-title" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="gl-modal__box gl-runs" data-testid="runs-dialog">
        <div className="gl-runs__top">
          <h2 id="runs-dialog-title">Runs and checkpoints</h2>
          <button className="gl-btn gl-btn--outline" onClick={onClose} autoFocus>Close</button>
        </div>
        <CheckpointList doc={doc} onDone={onClose} />
        <RunList />
      </div>
    </div>
  );
}

export function RunsButton({ doc }: { doc: GraphDocument }) {
  const [open, setOpen] = useState(false);
  useEffect(startTracking, []);
  return (
    <>
      <button className="gl-btn gl-btn--link" onClick={() => setOpen(true)} title="Checkpoints kept in this browser (resume, fine-tune from) and past runs (compare their curves)">
        Runs &amp; checkpoints
      </button>
      {open && <RunsDialog doc={doc} onClose={() => setOpen(false)} />}
    </>
  );
}
