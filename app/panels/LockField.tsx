// The inspector's lock: freezes a layer node's weights, or every weight inside a group, for fine-tuning.
import type { GraphNode } from '../../runtime/graph/document';
import { frozenNodeIds } from '../../runtime/graph/frozen';
import { edit, useStore } from '../store/store';
import { canLock, setFrozen } from '../store/locks';
import { LockIcon } from '../canvas/LockBadge';

export function LockField({ node }: { node: GraphNode }) {
  const byGroup = useStore((s) => !node.frozen && frozenNodeIds(s.editor.doc.nodes).has(node.id));
  if (!canLock(node.type)) return null;
  const id = `lock-${node.id}`;
  return (
    <div className="gl-field gl-field--bool">
      <input id={id} type="checkbox" checked={!!node.frozen} onChange={(e) => edit((s) => setFrozen(s, node.id, e.target.checked))} />
      <label htmlFor={id} className="gl-field__label">
        <LockIcon /> Freeze weights
      </label>
      <div className="gl-field__doc">
        {byGroup
          ? 'Frozen by its group: unlock the group to train this node.'
          : 'Fine-tuning keeps these weights exactly as loaded (a frozen batch norm also keeps its running statistics); a locked group freezes every node inside.'}
      </div>
    </div>
  );
}
