// Every compile problem and design warning of the graph. Clicking one selects its node and centres
// it; a design warning also says why it matters and offers its fix as one click.
import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { applyDesignFix, type DesignWarning } from '../../runtime/compiler/design-checks';
import { edit, showToast, store } from '../store/store';
import { replaceDocument, setSelection } from '../store/edits';
import { useAnalysis } from '../store/useAnalysis';

const isDesign = (d: Diagnostic): d is DesignWarning => d.code === 'design';

function applyFix(w: DesignWarning): void {
  const fix = w.fix;
  if (!fix) return;
  try {
    edit((s) => replaceDocument(s, applyDesignFix(s.doc, fix), fix.label));
    showToast(`${fix.label}. Ctrl+Z undoes it.`);
  } catch (err) {
    showToast(err instanceof Error ? err.message : String(err), 'error');
  }
}

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
            <li key={i} data-check={isDesign(d) ? d.check : undefined}>
              <button className={`gl-problem gl-problem--${d.severity}`} onClick={() => focus(d)} disabled={!d.nodeId && !d.edgeId}>
                <span className="gl-problem__icon" aria-hidden>{d.severity === 'error' ? '●' : '▲'}</span>
                <span className="gl-problem__msg">
                  {d.message}
                  {isDesign(d) && <span className="gl-problem__why">{d.why}</span>}
                </span>
              </button>
              {isDesign(d) && d.fix && (
                <button className="gl-btn gl-btn--outline gl-problem__fix" onClick={() => applyFix(d)}>Fix: {d.fix.label}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
