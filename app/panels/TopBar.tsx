// The top bar: file and history commands, auto-layout, and the compute backend in use.
import type { ReactNode } from 'react';
import { useStore } from '../store/store';
import { actions } from '../actions';
import { pickFile } from '../files/openFile';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const MOD = mac ? '⌘' : 'Ctrl+';

export function TopBar({ backend }: { backend?: ReactNode }) {
  const name = useStore((s) => s.editor.doc.name);
  const undoLabel = useStore((s) => s.editor.past[s.editor.past.length - 1]?.label);
  const redoLabel = useStore((s) => s.editor.future[0]?.label);
  return (
    <header className="gl-topbar">
      <div className="gl-brand">
        <span className="gl-brand__mark" aria-hidden>◆</span> Genloom
      </div>
      <span className="gl-topbar__name" title="Graph name (edit it in the inspector with nothing selected)">{name}</span>
      <nav className="gl-topbar__actions" aria-label="Graph commands">
        <button className="gl-btn" onClick={actions.openExamples}>Examples</button>
        <span className="gl-sep" />
        <button className="gl-btn" onClick={actions.newGraph} title="Start an empty graph (undoable)">New</button>
        <button className="gl-btn" onClick={pickFile} title="Open a .json graph (or drop one on the canvas)">Open</button>
        <button className="gl-btn" onClick={actions.exportFile} title={`Download as .json (${MOD}S)`}>Export</button>
        <button className="gl-btn" onClick={() => void actions.exportPytorch()} title="Export → PyTorch project: a .zip that trains under torchrun, on one machine or many">PyTorch</button>
        <button className="gl-btn" onClick={() => void actions.share()} title="Copy a link that carries this graph">Share</button>
        <span className="gl-sep" />
        <button className="gl-btn" onClick={actions.undo} disabled={!undoLabel} title={undoLabel ? `Undo ${undoLabel} (${MOD}Z)` : 'Nothing to undo'}>Undo</button>
        <button className="gl-btn" onClick={actions.redo} disabled={!redoLabel} title={redoLabel ? `Redo ${redoLabel} (${MOD}Shift+Z)` : 'Nothing to redo'}>Redo</button>
        <span className="gl-sep" />
        <button className="gl-btn" onClick={actions.autoLayout} title="Arrange the graph left to right">Auto-layout</button>
      </nav>
      <div className="gl-backend" title="Where training runs">
        <span className="gl-backend__label">Backend</span>
        <span className="gl-backend__value">{backend ?? 'not started'}</span>
      </div>
    </header>
  );
}
