// Every compile problem of the graph; clicking one selects its node and centres it.
import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { edit, store } from '../store/store';
import { setSelection } from '../store/edits';
import { useAnalysis } from '../store/useAnalysis';

export function ProblemsList() {
  const { diagnostics } = useAnalysis();
  const rf = useReactFlow();
  const focus = (d: Diagnostic) => {
    const doc = store.get().editor.doc;
    let nodeId = d.nodeId ?? doc.edges.find((e) => e.id === d.edgeId)?.target;
    const node = doc.nodes.find((n) => n.id === nodeId);
    const parent = node?.parentId ? doc.nodes.find((n) => n.id === node.parentId) : undefined;
    if (parent?.collapsed) nodeId = parent.id;
    if (!nodeId) return;
    edit((s) => setSelection(s, { nodes: [nodeId], edges: d.edgeId ? [d.edgeId] : [] }));
    const internal = rf.getInternalNode(nodeId);
    if (!internal) return;
    const { x, y } = internal.internals.positionAbsolute;
    const w = internal.measured.width ?? 200;
    const h = internal.measured.height ?? 100;
    void rf.setCenter(x + w / 2, y + h / 2, { zoom: Math.max(rf.getZoom(), 0.9), duration: 300 });
  };
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <section className="gl-problems" aria-label="Problems">
      <div className="gl-panel__head">
        Problems
        {diagnostics.length > 0 && <span className={`gl-count${errors ? ' gl-count--error' : ''}`}>{diagnostics.length}</span>}
      </div>
      {diagnostics.length === 0 ? (
        <p className="gl-muted gl-pad">No problems found.</p>
      ) : (
        <ul className="gl-problems__list">
          {diagnostics.map((d, i) => (
            <li key={i}>
              <button className={`gl-problem gl-problem--${d.severity}`} onClick={() => focus(d)} disabled={!d.nodeId && !d.edgeId}>
                <span className="gl-problem__icon" aria-hidden>{d.severity === 'error' ? '●' : '▲'}</span>
                <span className="gl-problem__msg">{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
