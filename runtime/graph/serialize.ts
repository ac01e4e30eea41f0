// Saving a graph document as text that diffs well and round-trips: fixed key order, 2-space indent,
// a trailing newline, so save → load → save gives the same bytes.
//
// Params are written exactly as the document holds them, and loading does not add defaults to them:
// a file keeps only what the user set, stays small, and picks up improved defaults later; the
// compiler fills the rest with resolveParams. Param keys are sorted so the inspector's edit order
// never shows up as a diff.
import type { GraphDocument, GraphEdge, GraphNode } from './document';
import { TRAINING_SETTING_KEYS } from './training-settings';

type Json = unknown;

function pick<T extends object>(obj: T, keys: readonly (keyof T)[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k as string] = obj[k];
  return out;
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, Json>;
    // fromEntries defines each key as a plain entry, so even a key named "__proto__" is written, not dropped.
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

const NODE_KEYS: readonly (keyof GraphNode)[] = ['id', 'type', 'parentId', 'label', 'position', 'params', 'collapsed', 'frozen', 'width', 'height'];
const EDGE_KEYS: readonly (keyof GraphEdge)[] = ['id', 'source', 'sourceHandle', 'target', 'targetHandle'];

export function serializeGraph(doc: GraphDocument): string {
  const out = {
    ...pick(doc, ['format', 'version', 'name', 'description']),
    nodes: doc.nodes.map((n) => ({
      ...pick(n, NODE_KEYS),
      position: { x: n.position.x, y: n.position.y },
      params: sortKeys(n.params ?? {}),
    })),
    edges: doc.edges.map((e) => pick(e, EDGE_KEYS)),
    training: pick(doc.training, TRAINING_SETTING_KEYS),
    ...(doc.viewport ? { viewport: { x: doc.viewport.x, y: doc.viewport.y, zoom: doc.viewport.zoom } } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
