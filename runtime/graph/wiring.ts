// The wiring rules, in one place: which wires may join which ports, and which nodes may sit in a
// group. The canvas (canConnect, while a wire is dragged), the loader and the compiler all ask this
// module, so a fault gets the same code and the same words wherever it is found.
//
// Wires are judged in document order, the way the canvas adds them: the first wire into an input
// takes it, and the wire that closes a loop is the one reported as making a cycle.
import { getNodeDef } from '../../nodes/registry';
import type { AnyNodeDefinition } from '../../nodes/types';
import type { DiagnosticCode } from './diagnostics';
import { describeNode, type GraphDocument } from './document';
import { FlowGraph } from './flow';
import { kindName, sourceHandles, targetHandles, type Handle, type Registry } from './ports';

/** A node as the wiring rules see it. `def` is absent when the node cannot be wired (unknown type, bad params). */
export interface WireEnd {
  id: string;
  type: string;
  def?: AnyNodeDefinition;
  parentId?: string;
}

export interface Wire {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface WiringFault {
  code: DiagnosticCode;
  message: string;
  /** The node the fault is shown on, when there is one. */
  nodeId?: string;
  /** The wire's (or node's) field at fault. */
  field: 'source' | 'target' | 'sourceHandle' | 'targetHandle' | 'parentId';
}

export type Verdict =
  | { kind: 'ok' }
  | { kind: 'fault'; fault: WiringFault }
  /** An end node has problems of its own (already reported); the wire is left out quietly. */
  | { kind: 'blocked'; node: WireEnd };

const fault = (f: WiringFault): Verdict => ({ kind: 'fault', fault: f });
const names = (hs: Handle[]) => hs.map((h) => h.id).join(', ') || 'none';
const at = (n: WireEnd, handle: string) => `${describeNode(n)}.${handle}`;
const CYCLE_PATH_SHOWN = 12;

/** The fault of one wire on its own and against the group borders, or null; ends must have definitions. */
function portFault(w: Wire, src: WireEnd & { def: AnyNodeDefinition }, tgt: WireEnd & { def: AnyNodeDefinition }): Verdict | Handle[] {
  const outs = sourceHandles(src.def);
  const ins = targetHandles(tgt.def);
  const sh = outs.find((h) => h.id === w.sourceHandle);
  if (!sh) {
    const wrongWay = targetHandles(src.def).some((h) => h.id === w.sourceHandle);
    return fault({
      code: wrongWay ? 'incompatible-port' : 'dangling-edge',
      message: wrongWay
        ? `"${w.sourceHandle}" is an input of ${describeNode(src)}; a wire starts at an output (outputs: ${names(outs)})`
        : `${describeNode(src)} has no output "${w.sourceHandle}" (outputs: ${names(outs)})`,
      nodeId: src.id,
      field: 'sourceHandle',
    });
  }
  const th = ins.find((h) => h.id === w.targetHandle);
  if (!th) {
    const wrongWay = sourceHandles(tgt.def).some((h) => h.id === w.targetHandle);
    return fault({
      code: wrongWay ? 'incompatible-port' : 'dangling-edge',
      message: wrongWay
        ? `"${w.targetHandle}" is an output of ${describeNode(tgt)}; a wire ends at an input (inputs: ${names(ins)})`
        : `${describeNode(tgt)} has no input "${w.targetHandle}" (inputs: ${names(ins)})`,
      nodeId: tgt.id,
      field: 'targetHandle',
    });
  }
  if (sh.kind !== th.kind) {
    return fault({
      code: 'incompatible-port',
      message: `a ${kindName(sh.kind)} output cannot feed a ${kindName(th.kind)} input: ${at(src, sh.id)} → ${at(tgt, th.id)}`,
      nodeId: tgt.id,
      field: 'targetHandle',
    });
  }
  const border = borderProblem(src, sh, tgt, th);
  if (border) return fault({ code: 'group', message: border, nodeId: tgt.id, field: 'source' });
  if (src.id === tgt.id) {
    return fault({ code: 'cycle', message: `a node cannot feed itself: ${at(src, sh.id)} → ${at(tgt, th.id)}`, nodeId: src.id, field: 'target' });
  }
  return [sh, th];
}

/** Why a wire breaks a group's border (decision 0002), or null. */
function borderProblem(src: WireEnd, source: Handle, tgt: WireEnd, target: Handle): string | null {
  if (source.inner && target.inner) {
    return `"${source.id}" of group "${src.id}" cannot feed "${target.id}" of group "${tgt.id}" directly: an inner network needs a layer`;
  }
  if (source.inner) {
    return tgt.parentId === src.id
      ? null
      : `"${source.id}" of group "${src.id}" feeds only the group's own inner nodes, and "${tgt.id}" is not inside it`;
  }
  if (target.inner) {
    return src.parentId === tgt.id
      ? null
      : `"${target.id}" of group "${tgt.id}" takes only a wire from the group's own inner nodes, and "${src.id}" is not inside it`;
  }
  if ((src.parentId ?? null) === (tgt.parentId ?? null)) return null;
  const innerEnd = src.parentId ? src : tgt;
  const other = innerEnd === src ? tgt : src;
  return (
    `"${innerEnd.id}" is inside group "${innerEnd.parentId}" and "${other.id}" is ` +
    (other.parentId ? `inside group "${other.parentId}"` : 'outside it') +
    `; a wire crosses a group's border only through the group's ports`
  );
}

function cycleFault(path: string[], tgt: WireEnd): Verdict {
  const shown = path.length > CYCLE_PATH_SHOWN ? [...path.slice(0, CYCLE_PATH_SHOWN - 1), '…', path[path.length - 1]] : path;
  const loop = [...shown, path[0]].map((id) => (id === '…' ? id : `"${id}"`)).join(' → ');
  return fault({ code: 'cycle', message: `this wire would make a cycle (${loop}): data must flow one way`, nodeId: tgt.id, field: 'target' });
}

export interface WiringResult {
  /** One verdict per wire, in the order given. */
  verdicts: Verdict[];
  /** The data flow along the accepted wires: acyclic, ready for a topological order. */
  flow: FlowGraph;
}

/** Judges every wire between `nodes` (the first node of each id counts). */
export function checkWiring(nodes: Iterable<WireEnd>, wires: readonly Wire[]): WiringResult {
  const byId = new Map<string, WireEnd>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const taken = new Map<string, Map<string, string>>();
  const verdicts: Verdict[] = wires.map((w) => {
    const src = byId.get(w.source);
    const tgt = byId.get(w.target);
    if (!src) return fault({ code: 'dangling-edge', message: `source node "${w.source}" does not exist`, field: 'source' });
    if (!tgt) return fault({ code: 'dangling-edge', message: `target node "${w.target}" does not exist`, field: 'target' });
    if (!src.def) return { kind: 'blocked', node: src };
    if (!tgt.def) return { kind: 'blocked', node: tgt };
    const ports = portFault(w, src as WireEnd & { def: AnyNodeDefinition }, tgt as WireEnd & { def: AnyNodeDefinition });
    if (!Array.isArray(ports)) return ports;
    const into = taken.get(tgt.id) ?? new Map<string, string>();
    const other = into.get(w.targetHandle);
    if (other !== undefined) {
      return fault({
        code: 'incompatible-port',
        message: `input "${w.targetHandle}" of ${describeNode(tgt)} already has a wire (from "${other}"); an input takes one wire`,
        nodeId: tgt.id,
        field: 'targetHandle',
      });
    }
    into.set(w.targetHandle, src.id);
    taken.set(tgt.id, into);
    return { kind: 'ok' };
  });
  return { verdicts, flow: linkAcyclic(byId, wires, verdicts) };
}

/**
 * Links the accepted wires, turning each one that would close a loop into a cycle fault. Graphs
 * without a loop (nearly all) take one linear pass; only wires among the nodes a topological sort
 * could not place are checked one by one.
 */
function linkAcyclic(byId: Map<string, WireEnd>, wires: readonly Wire[], verdicts: Verdict[]): FlowGraph {
  const fresh = () => {
    const f = new FlowGraph();
    for (const n of byId.values()) if (n.def) f.addNode(n.id, n.def);
    return f;
  };
  const accepted = wires.map((w, i) => (verdicts[i].kind === 'ok' ? w : null));
  const all = fresh();
  for (const w of accepted) if (w) all.link(all.sourceVertex(w.source, w.sourceHandle), all.targetVertex(w.target, w.targetHandle));
  const { stuck } = all.order();
  if (stuck.length === 0) return all;
  const onLoop = new Set(stuck);
  const flow = fresh();
  accepted.forEach((w, i) => {
    if (!w) return;
    const from = flow.sourceVertex(w.source, w.sourceHandle);
    const to = flow.targetVertex(w.target, w.targetHandle);
    const path = onLoop.has(w.source) && onLoop.has(w.target) ? flow.path(to, from) : null;
    if (path) verdicts[i] = cycleFault(path, byId.get(w.target)!);
    else flow.link(from, to);
  });
  return flow;
}

/**
 * Group membership: a parentId names a group in the graph, and only layer nodes sit inside one.
 * Nodes without a definition are skipped (their own problem is reported elsewhere).
 */
export function parentFault(node: WireEnd, nodes: ReadonlyMap<string, WireEnd>): WiringFault | null {
  if (node.parentId === undefined) return null;
  const where = { nodeId: node.id, field: 'parentId' as const };
  if (node.parentId === node.id) return { code: 'group', message: `${describeNode(node)} is nested inside itself through parentId`, ...where };
  const parent = nodes.get(node.parentId);
  if (!parent) return { code: 'group', message: `${describeNode(node)}: parentId "${node.parentId}" names no node in this graph`, ...where };
  if (!parent.def || !node.def) return null;
  if (parent.def.role !== 'group') {
    return { code: 'group', message: `${describeNode(node)}: parentId "${node.parentId}" names ${describeNode(parent)}, which is not a group`, ...where };
  }
  if (node.def.role !== 'layer') {
    return { code: 'group', message: `${describeNode(node)} cannot sit inside group "${parent.id}": only layer nodes can`, ...where };
  }
  return null;
}

export interface Connection {
  source: string;
  sourceHandle: string | null;
  target: string;
  targetHandle: string | null;
}

/**
 * Whether the canvas may draw a wire: null when it may, otherwise the reason, in the same words the
 * loader and the compiler would use for that wire in a file.
 */
export function canConnect(doc: Pick<GraphDocument, 'nodes' | 'edges'>, conn: Connection, registry: Registry = getNodeDef): string | null {
  if (!conn.sourceHandle) return `pick an output of "${conn.source}"`;
  if (!conn.targetHandle) return `pick an input of "${conn.target}"`;
  const ends = doc.nodes.map((n): WireEnd => ({ id: n.id, type: n.type, def: registry(n.type), parentId: n.parentId }));
  const wire: Wire = { source: conn.source, sourceHandle: conn.sourceHandle, target: conn.target, targetHandle: conn.targetHandle };
  const { verdicts } = checkWiring(ends, [...doc.edges, wire]);
  const v = verdicts[verdicts.length - 1];
  if (v.kind === 'ok') return null;
  if (v.kind === 'blocked') return `${describeNode(v.node)} has an unknown type or a problem of its own; fix it first`;
  return v.fault.message;
}
