// Any non-group node, drawn from its definition: title, category colour, ports, key params, size.
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { getNodeDef } from '../../nodes/registry';
import type { FlowNode } from './toFlow';
import { Ports } from './Ports';
import { ProblemBadge } from './ProblemBadge';
import { formatValue } from './format';
import { countLabel, LockBadge } from './LockBadge';

export const GraphNodeView = memo(function GraphNodeView({ data, selected }: NodeProps<FlowNode>) {
  const { node, problems, paramCount, frozenCount, lockedByGroup } = data;
  const def = getNodeDef(node.type);
  if (!def) {
    return (
      <div className="gl-node gl-node--unknown">
        <div className="gl-node__head">Unknown node “{node.type}”</div>
      </div>
    );
  }
  const hasError = problems.some((p) => p.severity === 'error');
  const count = countLabel(paramCount, frozenCount);
  return (
    <div className={`gl-node cat-${def.category}${selected ? ' is-selected' : ''}${hasError ? ' has-error' : ''}${node.frozen || lockedByGroup ? ' is-frozen' : ''}`} data-parent={node.parentId}>
      <div className="gl-node__head" title={def.doc}>
        <span className="gl-node__title">{node.label ?? def.label}</span>
        <LockBadge locked={!!node.frozen} inherited={lockedByGroup} />
        {count ? <span className="gl-node__count" title="Parameters: trainable, and frozen by a lock">{count}</span> : null}
        <ProblemBadge problems={problems} />
      </div>
      <Ports inputs={def.inputs} outputs={def.outputs} />
      {def.keyParams?.length ? (
        <dl className="gl-node__params">
          {def.keyParams.map((k) => (
            <div key={k} className="gl-node__param">
              <dt>{def.params[k]?.label ?? k}</dt>
              <dd>{formatValue(node.params[k] ?? def.params[k]?.default)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
});
