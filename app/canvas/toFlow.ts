// The document mapped 1:1 onto React Flow nodes and edges (plus what the canvas shows on them).
import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument, GraphNode, XY } from '../../runtime/graph/document';
import type { Analysis } from '../../runtime/compiler/analysis';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import type { Shape } from '../../nodes/types';
import type { Selection } from '../store/history';
import { groupSize, isGroup, parentsFirst } from '../store/graph';
import { frozenNodeIds } from '../../runtime/graph/frozen';

export interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: Diagnostic[];
  paramCount: number | undefined;
  /** Of paramCount, how many a lock holds. */
  frozenCount: number | undefined;
  /** Frozen by an enclosing group's lock rather than its own. */
  lockedByGroup: boolean;
  innerCount: number;
}

export interface EdgeData extends Record<string, unknown> {
  shape: Shape | undefined;
  problem: string | undefined;
}

export type FlowNode = Node<NodeData>;
export type FlowEdge = Edge<EdgeData>;

export interface Overlay {
  positions: Record<string, XY>;
  sizes: Record<string, { width: number; height: number }>;
}

export type Measured = Record<string, { width: number; height: number }>;

function byId<T extends { nodeId?: string; edgeId?: string }>(ds: T[], key: 'nodeId' | 'edgeId'): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const d of ds) {
    const id = d[key];
    if (!id) continue;
    const list = m.get(id) ?? [];
    list.push(d);
    m.set(id, list);
  }
  return m;
}

export function toFlowNodes(doc: GraphDocument, analysis: Analysis, selection: Selection, overlay: Overlay, measured: Measured): FlowNode[] {
  const problems = byId(analysis.diagnostics, 'nodeId');
  const selected = new Set(selection.nodes);
  const collapsed = new Set(doc.nodes.filter((n) => n.collapsed).map((n) => n.id));
  const frozen = frozenNodeIds(doc.nodes);
  return parentsFirst(doc.nodes).map((n) => {
    const group = isGroup(n);
    const rf: FlowNode = {
      id: n.id,
      type: group ? 'glgroup' : 'glnode',
      position: overlay.positions[n.id] ?? n.position,
      data: {
        node: n,
        problems: problems.get(n.id) ?? [],
        paramCount: analysis.paramCounts[n.id],
        frozenCount: analysis.frozenParamCounts[n.id],
        lockedByGroup: !n.frozen && frozen.has(n.id),
        innerCount: group ? doc.nodes.filter((m) => m.parentId === n.id).length : 0,
      },
      selected: selected.has(n.id),
      measured: measured[n.id],
    };
    if (n.parentId) {
      rf.parentId = n.parentId;
      rf.extent = 'parent';
      rf.hidden = collapsed.has(n.parentId);
    }
    if (group && !n.collapsed) {
      const size = fitChildren(doc, n.id, overlay.sizes[n.id] ?? groupSize(n), overlay, measured);
      rf.width = size.width;
      rf.height = size.height;
      rf.measured = size;
    }
    return rf;
  });
}

export function toFlowEdges(doc: GraphDocument, analysis: Analysis, selection: Selection): FlowEdge[] {
  const problems = byId(analysis.diagnostics, 'edgeId');
  const selected = new Set(selection.edges);
  return doc.edges.map((e) => ({
    id: e.id,
    type: 'shape',
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: e.targetHandle,
    selected: selected.has(e.id),
    data: { shape: analysis.edgeShapes[e.id], problem: problems.get(e.id)?.[0]?.message },
  }));
}

/** An expanded group is at least big enough to hold its inner nodes where they are. */
function fitChildren(doc: GraphDocument, groupId: string, size: { width: number; height: number }, overlay: Overlay, measured: Measured) {
  let { width, height } = size;
  for (const c of doc.nodes) {
    if (c.parentId !== groupId) continue;
    const p = overlay.positions[c.id] ?? c.position;
    const m = measured[c.id] ?? { width: 200, height: 100 };
    width = Math.max(width, p.x + m.width + 56);
    height = Math.max(height, p.y + m.height + 16);
  }
  return { width, height };
}
