// Pass 1, validate: what the document says must make sense as a graph before anything is inferred.
// Every problem is collected; nodes and edges that fail are left out of later passes.
import { resolveParams } from '../../nodes/params';
import type { AnyNodeDefinition, PortDef } from '../../nodes/types';
import type { GraphDocument, GraphEdge, GraphNode } from '../graph/document';
import { error, type Diagnostic } from './diagnostics';

export type Registry = (type: string) => AnyNodeDefinition | undefined;

export interface Checked {
  nodes: Map<string, { node: GraphNode; def: AnyNodeDefinition; params: Record<string, unknown> }>;
  /** Edges whose both ends exist and whose ports fit. */
  edges: GraphEdge[];
  /** node id → input port → the edge feeding it. */
  incoming: Map<string, Map<string, GraphEdge>>;
  diagnostics: Diagnostic[];
}

export function describeNode(node: GraphNode): string {
  return `${node.type} "${node.id}"`;
}

/** A port on a node as seen from an edge's end: outer ports plus a group's inner handles. */
export function findPort(def: AnyNodeDefinition, handle: string, end: 'source' | 'target'): PortDef | undefined {
  if (end === 'source') {
    if (def.group?.innerInput === handle) return { id: handle, kind: 'tensor' };
    return def.outputs.find((p) => p.id === handle);
  }
  if (def.group?.innerOutput === handle) return { id: handle, kind: 'tensor' };
  return def.inputs.find((p) => p.id === handle);
}

function isInnerHandle(def: AnyNodeDefinition, handle: string): boolean {
  return def.group?.innerInput === handle || def.group?.innerOutput === handle;
}

export function checkStructure(doc: GraphDocument, registry: Registry): Checked {
  const diagnostics: Diagnostic[] = [];
  const nodes: Checked['nodes'] = new Map();
  const seen = new Set<string>();
  for (const node of doc.nodes) {
    if (seen.has(node.id)) {
      diagnostics.push(error('duplicate-id', `two nodes have the id "${node.id}"`, { nodeId: node.id }));
      continue;
    }
    seen.add(node.id);
    const def = registry(node.type);
    if (!def) {
      diagnostics.push(error('unknown-type', `node "${node.id}" has an unknown type "${node.type}"`, { nodeId: node.id }));
      continue;
    }
    const { params, problems } = resolveParams(def, node.params);
    for (const p of problems)
      diagnostics.push(error('bad-param', `${describeNode(node)} ${p.message}`, { nodeId: node.id, field: p.field }));
    if (problems.length === 0) nodes.set(node.id, { node, def, params });
  }
  for (const { node } of nodes.values()) {
    if (node.parentId === undefined) continue;
    const parent = nodes.get(node.parentId);
    if (!parent || parent.def.role !== 'group')
      diagnostics.push(error('group', `${describeNode(node)} sits in "${node.parentId}", which is not a group node`, { nodeId: node.id }));
    else if (nodes.get(node.id)?.def.role !== 'layer')
      diagnostics.push(error('group', `${describeNode(node)} cannot sit inside a group: only layer nodes can`, { nodeId: node.id }));
  }

  const edges: GraphEdge[] = [];
  const incoming = new Map<string, Map<string, GraphEdge>>();
  const edgeIds = new Set<string>();
  for (const e of doc.edges) {
    if (edgeIds.has(e.id)) {
      diagnostics.push(error('duplicate-id', `two edges have the id "${e.id}"`, { edgeId: e.id }));
      continue;
    }
    edgeIds.add(e.id);
    const msg = checkEdge(e, nodes, doc);
    if (msg) {
      diagnostics.push(error(msg.code, msg.message, { edgeId: e.id, nodeId: msg.nodeId }));
      continue;
    }
    const byPort = incoming.get(e.target) ?? new Map<string, GraphEdge>();
    if (byPort.has(e.targetHandle)) {
      diagnostics.push(
        error('dangling-edge', `input "${e.targetHandle}" of node "${e.target}" has more than one wire (edge "${e.id}")`, {
          edgeId: e.id,
          nodeId: e.target,
        }),
      );
      continue;
    }
    byPort.set(e.targetHandle, e);
    incoming.set(e.target, byPort);
    edges.push(e);
  }
  return { nodes, edges, incoming, diagnostics };
}

function checkEdge(
  e: GraphEdge,
  nodes: Checked['nodes'],
  doc: GraphDocument,
): { code: Diagnostic['code']; message: string; nodeId?: string } | null {
  const known = (id: string) => doc.nodes.some((n) => n.id === id);
  const src = nodes.get(e.source);
  const tgt = nodes.get(e.target);
  if (!src || !tgt) {
    const missing = !src ? e.source : e.target;
    // A node that exists but failed its own checks already has a diagnostic; don't pile on.
    return known(missing)
      ? { code: 'dangling-edge', message: `edge "${e.id}" joins node "${missing}", which has problems of its own`, nodeId: missing }
      : { code: 'dangling-edge', message: `edge "${e.id}" names a node "${missing}" that does not exist` };
  }
  if (e.source === e.target) return { code: 'cycle', message: `edge "${e.id}" wires node "${e.source}" to itself`, nodeId: e.source };
  const out = findPort(src.def, e.sourceHandle, 'source');
  if (!out) return { code: 'dangling-edge', message: `${describeNode(src.node)} has no output "${e.sourceHandle}" (edge "${e.id}")`, nodeId: e.source };
  const inp = findPort(tgt.def, e.targetHandle, 'target');
  if (!inp) return { code: 'dangling-edge', message: `${describeNode(tgt.node)} has no input "${e.targetHandle}" (edge "${e.id}")`, nodeId: e.target };
  if (out.kind !== inp.kind)
    return {
      code: 'incompatible-port',
      message: `edge "${e.id}" carries a ${out.kind} from ${describeNode(src.node)} into ${describeNode(tgt.node)}'s ${inp.kind} input "${e.targetHandle}"`,
      nodeId: e.target,
    };
  // Inner handles connect a group to its own inner nodes only; everything else stays on one level.
  const srcInner = isInnerHandle(src.def, e.sourceHandle);
  const tgtInner = isInnerHandle(tgt.def, e.targetHandle);
  const srcLevel = srcInner ? e.source : src.node.parentId;
  const tgtLevel = tgtInner ? e.target : tgt.node.parentId;
  if (srcLevel !== tgtLevel)
    return {
      code: 'group',
      message: `edge "${e.id}" crosses a group boundary between "${e.source}" and "${e.target}": wire through the group's ports`,
      nodeId: e.target,
    };
  return null;
}
