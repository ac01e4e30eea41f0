// The inspector: the selected node's params, or, with nothing selected, the graph's own settings.
import { getNodeDef } from '../../nodes/registry';
import type { ParamSchema } from '../../nodes/types';
import { formatShape } from '../../nodes/shape';
import { edit, store, useStore } from '../store/store';
import { setLabel, setParam } from '../store/edits';
import { useAnalysis } from '../store/useAnalysis';
import { CATEGORY_COLORS, CATEGORY_LABELS } from '../theme';
import { ParamField } from './ParamField';
import { GraphSettings } from './GraphSettings';
import { countLabel } from '../canvas/LockBadge';
import { LockField } from './LockField';
import { formatFlops, graphCost } from '../../runtime/compiler/cost';
import { TextUpload } from '../uploads/TextUpload';
import { ImageUpload } from '../uploads/ImageUpload';

function NodeInspector({ nodeId }: { nodeId: string }) {
  const doc = useStore((s) => s.editor.doc);
  const node = doc.nodes.find((n) => n.id === nodeId);
  const analysis = useAnalysis();
  if (!node) return null;
  const def = getNodeDef(node.type);
  if (!def) return <p className="gl-pad gl-error">Unknown node type “{node.type}”.</p>;
  const problems = analysis.diagnostics.filter((d) => d.nodeId === nodeId);
  const shapes = analysis.shapes[nodeId] ?? {};
  const count = countLabel(analysis.paramCounts[nodeId], analysis.frozenParamCounts[nodeId]);
  const flops = graphCost(doc, analysis, getNodeDef).nodes[nodeId]?.step;
  const commitParam = (key: string) => (v: unknown) => {
    const { state, error } = setParam(store.get().editor, nodeId, key, v);
    if (!error) store.set((s) => ({ ...s, editor: state }));
    return error;
  };
  return (
    <div className="gl-inspector__body">
      <div className="gl-inspector__title">
        <span className="gl-chip" style={{ background: CATEGORY_COLORS[def.category] }}>{CATEGORY_LABELS[def.category]}</span>
        <h2>{def.label}</h2>
      </div>
      <p className="gl-muted">{def.doc}</p>
      <div className="gl-field">
        <label className="gl-field__label" htmlFor="node-label">Title</label>
        <input
          id="node-label"
          key={node.id}
          className="gl-input"
          defaultValue={node.label ?? ''}
          placeholder={def.label}
          onBlur={(e) => edit((s) => setLabel(s, nodeId, e.target.value))}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
        <div className="gl-field__doc" data-testid="node-cost" data-flops={flops ?? ''}>
          id {node.id}{count ? ` · ${count}` : ''}{flops ? ` · ${formatFlops(flops)} a training step` : ''}
        </div>
      </div>
      <LockField node={node} />
      {Object.keys(def.params).length === 0 ? (
        <p className="gl-muted">This node has no params.</p>
      ) : (
        Object.entries(def.params as ParamSchema).map(([key, spec]) => (
          <ParamField key={`${node.id}:${key}`} name={key} spec={spec} value={node.params[key] ?? spec.default} onCommit={commitParam(key)} />
        ))
      )}
      {def.upload && (!def.upload.onlyWhenChosen || node.params[def.upload.choiceParam] === (def.upload.choiceValue ?? 'upload')) &&
        (def.upload.kind === 'text' ? <TextUpload nodeId={nodeId} /> : def.upload.kind === 'images' ? <ImageUpload nodeId={nodeId} /> : null)}
      {Object.keys(shapes).length > 0 && (
        <div className="gl-inspector__section">
          <h3>Output shapes</h3>
          {Object.entries(shapes).map(([port, shape]) => (
            <div key={port} className="gl-kv"><span>{port}</span><code>{formatShape(shape)}</code></div>
          ))}
        </div>
      )}
      {problems.length > 0 && (
        <div className="gl-inspector__section">
          <h3>Problems</h3>
          {problems.map((p, i) => <p key={i} className={p.severity === 'error' ? 'gl-error' : 'gl-warn'}>{p.message}</p>)}
        </div>
      )}
    </div>
  );
}

export function Inspector() {
  const selection = useStore((s) => s.editor.selection);
  let body;
  if (selection.nodes.length === 1) body = <NodeInspector nodeId={selection.nodes[0]} />;
  else if (selection.nodes.length > 1 || selection.edges.length > 0) {
    const parts = [selection.nodes.length && `${selection.nodes.length} nodes`, selection.edges.length && `${selection.edges.length} ${selection.edges.length === 1 ? 'wire' : 'wires'}`].filter(Boolean);
    body = (
      <div className="gl-inspector__body">
        <h2>{parts.join(' and ')} selected</h2>
        <p className="gl-muted">Press Delete to remove, Ctrl+C to copy, Ctrl+D to duplicate. Select a single node to edit its params.</p>
      </div>
    );
  } else body = <GraphSettings />;
  return (
    <section className="gl-inspector" aria-label="Inspector">
      <div className="gl-panel__head">Inspector</div>
      {body}
    </section>
  );
}
