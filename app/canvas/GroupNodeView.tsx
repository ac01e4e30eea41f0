// A group (the discriminator): a box holding its inner network, with outer ports on its border and
// two inner handles its inner nodes read from and write to. Collapsed, it is one compact box.
import { memo } from 'react';
import { Handle, NodeResizer, Position, type NodeProps } from '@xyflow/react';
import { getNodeDef } from '../../nodes/registry';
import type { FlowNode } from './toFlow';
import { Ports } from './Ports';
import { ProblemBadge } from './ProblemBadge';
import { countLabel, LockBadge } from './LockBadge';
import { edit } from '../store/store';
import { resizeGroup, setCollapsed } from '../store/edits';
import { measuredSizes } from './useFlowState';

export const GroupNodeView = memo(function GroupNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const { node, problems, paramCount, frozenCount, lockedByGroup, innerCount } = data;
  const def = getNodeDef(node.type);
  if (!def?.group) return <div className="gl-node gl-node--unknown">Not a group: {node.type}</div>;
  const collapsed = !!node.collapsed;
  const hasError = problems.some((p) => p.severity === 'error');
  const count = countLabel(paramCount, frozenCount);
  const toggle = () => edit((s) => setCollapsed(s, id, !collapsed, measuredSizes.current));
  return (
    <div
      className={`gl-group cat-${def.category}${collapsed ? ' is-collapsed' : ''}${selected ? ' is-selected' : ''}${hasError ? ' has-error' : ''}`}
    >
      {!collapsed && (
        <NodeResizer
          isVisible={selected}
          minWidth={320}
          minHeight={200}
          color="var(--accent)"
          onResizeEnd={(_, box) => edit((s) => resizeGroup(s, id, box))}
        />
      )}
      <div className="gl-node__head gl-group__head" title={def.doc}>
        <button className="gl-group__toggle nodrag" onClick={toggle} title={collapsed ? 'Expand group' : 'Collapse group'} aria-label={collapsed ? 'Expand group' : 'Collapse group'}>
          {collapsed ? '▸' : '▾'}
        </button>
        <span className="gl-node__title">{node.label ?? def.label}</span>
        <LockBadge locked={!!node.frozen} inherited={lockedByGroup} />
        <span className="gl-group__meta">
          {innerCount} inner {innerCount === 1 ? 'node' : 'nodes'}
          {count ? ` · ${count}` : ''}
        </span>
        <ProblemBadge problems={problems} />
      </div>
      <Ports inputs={def.inputs} outputs={def.outputs} />
      {collapsed ? (
        <div className="gl-node__foot">
          <span className="gl-node__id">{node.id}</span>
          <span>collapsed</span>
        </div>
      ) : (
        <div className="gl-group__inner">
          <div className="gl-group__inner-port gl-group__inner-port--in">
            <Handle type="source" position={Position.Right} id={def.group.innerInput} className="gl-handle gl-handle--tensor gl-handle--inner" />
            <span>input</span>
          </div>
          {innerCount === 0 && <div className="gl-group__empty">Drop layer nodes here to build the shared network</div>}
          <div className="gl-group__inner-port gl-group__inner-port--out">
            <Handle type="target" position={Position.Left} id={def.group.innerOutput} className="gl-handle gl-handle--tensor gl-handle--inner" />
            <span>output</span>
          </div>
        </div>
      )}
    </div>
  );
});
