// An edge labelled with the tensor shape flowing along it; red when the compiler flags it.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatShape } from '../../nodes/shape';
import type { FlowEdge } from './toFlow';

export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const problem = data?.problem;
  const label = data?.shape ? formatShape(data.shape) : null;
  return (
    <>
      <BaseEdge id={id} path={path} className={`gl-edge${problem ? ' gl-edge--error' : ''}${selected ? ' is-selected' : ''}`} />
      {(label || problem) && (
        <EdgeLabelRenderer>
          <div
            className={`gl-edge-label${problem ? ' gl-edge-label--error' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={problem ?? undefined}
          >
            {label ?? '!'}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
