// Pass 1, validate: what the document says must make sense as a graph before anything is inferred.
// Every problem is collected; nodes and edges that fail are left out of later passes. The wiring and
// group rules are runtime/graph/wiring.ts's, the same the loader and the canvas apply.
import { resolveParams } from '../../nodes/params';
import type { AnyNodeDefinition } from '../../nodes/types';
import { error, type Diagnostic } from '../graph/diagnostics';
import { describeNode, type GraphDocument, type GraphEdge, type GraphNode } from '../graph/document';
import type { FlowGraph } from '../graph/flow';
import { frozenNodeIds } from '../graph/frozen';
import type { Registry } from '../graph/ports';
import { checkWiring, parentFault, type WireEnd } from '../graph/wiring';

export interface Checked {
  nodes: Map<string, { node: GraphNode; def: AnyNodeDefinition; params: Record<string, unknown> }>;
  /** Edges whose both ends exist and whose ports fit. */
  edges: GraphEdge[];
  /** node id → input port → the edge feeding it. */
  incoming: Map<string, Map<string, GraphEdge>>;
  /** The data flow along `edges`, without cycles. */
  flow: FlowGraph;
  /** node id → inputs wired from a node with problems of its own: they wait quietly, not "unconnected". */
  fedByBroken: Map<string, Set<string>>;
  diagnostics: Diagnostic[];
  /** Nodes whose weights are locked, by their own lock or their group's. */
  frozen: Set<string>;
}

export function checkStructure(doc: GraphDocument, registry: Registry): Checked {
  const diagnostics: Diagnostic[] = [];
  const nodes: Checked['nodes'] = new Map();
  const ends = new Map<string, WireEnd>();
  for (const node of doc.nodes) {
    if (ends.has(node.id)) {
      diagnostics.push(error('duplicate-id', `two nodes have the id "${node.id}"`, { nodeId: node.id }));
      continue;
    }
    const end: WireEnd = { id: node.id, type: node.type, parentId: node.parentId };
    ends.set(node.id, end);
    const def = registry(node.type);
    if (!def) {
      diagnostics.push(error('unknown-type', `node "${node.id}" has an unknown type "${node.type}"`, { nodeId: node.id }));
      continue;
    }
    const { params, problems } = resolveParams(def, node.params);
    for (const p of problems)
      diagnostics.push(error('bad-param', `${describeNode(node)} ${p.message}`, { nodeId: node.id, field: p.field }));
    if (problems.length > 0) continue;
    nodes.set(node.id, { node, def, params });
    end.def = def;
  }
  for (const end of ends.values()) {
    const f = parentFault(end, ends);
    if (f) diagnostics.push(error(f.code, f.message, { nodeId: f.nodeId, field: f.field }));
  }

  const unique: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  for (const e of doc.edges) {
    if (edgeIds.has(e.id)) diagnostics.push(error('duplicate-id', `two edges have the id "${e.id}"`, { edgeId: e.id }));
    else unique.push(e);
    edgeIds.add(e.id);
  }
  const { verdicts, flow } = checkWiring(ends.values(), unique);
  const edges: GraphEdge[] = [];
  const incoming = new Map<string, Map<string, GraphEdge>>();
  const fedByBroken = new Map<string, Set<string>>();
  unique.forEach((e, i) => {
    const v = verdicts[i];
    if (v.kind === 'blocked') fedByBroken.set(e.target, (fedByBroken.get(e.target) ?? new Set()).add(e.targetHandle));
    if (v.kind === 'fault') {
      diagnostics.push(error(v.fault.code, v.fault.message, { edgeId: e.id, ...(v.fault.nodeId ? { nodeId: v.fault.nodeId } : {}), field: v.fault.field }));
    }
    if (v.kind !== 'ok') return;
    const byPort = incoming.get(e.target) ?? new Map<string, GraphEdge>();
    byPort.set(e.targetHandle, e);
    incoming.set(e.target, byPort);
    edges.push(e);
  });
  return { nodes, edges, incoming, flow, fedByBroken, diagnostics, frozen: frozenNodeIds(doc.nodes) };
}
