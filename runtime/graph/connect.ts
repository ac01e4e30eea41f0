// Whether a wire may be drawn, asked by the canvas while one is dragged; the answer is shown to the
// person, so it says why not in their words.
import { getNodeDef } from '../../nodes/registry';
import type { GraphDocument } from './document';
import { borderProblem, flowVertex, kindMismatch, sourceHandles, targetHandles, type Registry } from './ports';

export interface Connection {
  source: string;
  sourceHandle: string | null;
  target: string;
  targetHandle: string | null;
}

/** null when the wire is allowed; otherwise the reason it is not. */
export function canConnect(
  doc: Pick<GraphDocument, 'nodes' | 'edges'>,
  conn: Connection,
  registry: Registry = getNodeDef,
): string | null {
  const src = doc.nodes.find((n) => n.id === conn.source);
  const tgt = doc.nodes.find((n) => n.id === conn.target);
  if (!src) return `node "${conn.source}" does not exist`;
  if (!tgt) return `node "${conn.target}" does not exist`;
  if (src.id === tgt.id) return `a node cannot feed itself`;
  const sd = registry(src.type);
  const td = registry(tgt.type);
  if (!sd) return `node "${src.id}" has an unknown type "${src.type}"`;
  if (!td) return `node "${tgt.id}" has an unknown type "${tgt.type}"`;
  if (!conn.sourceHandle) return `pick an output of "${src.id}"`;
  if (!conn.targetHandle) return `pick an input of "${tgt.id}"`;

  const sh = sourceHandles(sd).find((h) => h.id === conn.sourceHandle);
  if (!sh) {
    return sd.inputs.some((p) => p.id === conn.sourceHandle)
      ? `"${conn.sourceHandle}" is an input of "${src.id}"; a wire starts at an output`
      : `${src.type} "${src.id}" has no output "${conn.sourceHandle}"`;
  }
  const th = targetHandles(td).find((h) => h.id === conn.targetHandle);
  if (!th) {
    return td.outputs.some((p) => p.id === conn.targetHandle)
      ? `"${conn.targetHandle}" is an output of "${tgt.id}"; a wire ends at an input`
      : `${tgt.type} "${tgt.id}" has no input "${conn.targetHandle}"`;
  }

  const kinds = kindMismatch(sh.kind, th.kind);
  if (kinds) return kinds;
  const border = borderProblem(src, sh, tgt, th);
  if (border) return border;
  const taken = doc.edges.find((e) => e.target === tgt.id && e.targetHandle === th.id);
  if (taken) return `input "${th.id}" of "${tgt.id}" already has a wire (from "${taken.source}"); remove that one first`;
  if (reaches(doc, flowVertex(tgt.id, th.id, td), flowVertex(src.id, sh.id, sd), registry)) {
    return `this wire would make a cycle: "${tgt.id}" already feeds "${src.id}"`;
  }
  return null;
}

/** Whether data flows from vertex `from` to vertex `to` along the existing wires. */
function reaches(doc: Pick<GraphDocument, 'nodes' | 'edges'>, from: string, to: string, registry: Registry): boolean {
  const typeOf = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const def = (id: string) => {
    const t = typeOf.get(id);
    return t === undefined ? undefined : registry(t);
  };
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const a = flowVertex(e.source, e.sourceHandle, def(e.source));
    const b = flowVertex(e.target, e.targetHandle, def(e.target));
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length) {
    const v = stack.pop()!;
    if (v === to) return true;
    for (const w of next.get(v) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return false;
}
