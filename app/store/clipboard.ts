// The clipboard format: a subgraph as plain JSON text, so it pastes across tabs and windows. Pasted
// text is untrusted like any file: it goes through the loader's checks before it reaches the graph.
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphEdge, type GraphNode, type XY } from '../../runtime/graph/document';
import { remapIds } from '../../runtime/graph/ids';
import { parseGraph } from '../../runtime/graph/load';

export interface Clip {
  format: 'genloom.clipboard';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const CLIP_FORMAT = 'genloom.clipboard';

export function clipToText(clip: Clip): string {
  return JSON.stringify(clip);
}

export type ClipRead = { clip: Clip; problems: [] } | { clip: null; problems: Diagnostic[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The clip in `text` with the loader's verdict on it, or null when the text is not a clip at all
 * (pasting prose must do nothing). A whole exported graph pastes as its nodes and edges too.
 */
export function readClip(text: string): ClipRead | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || (value.format !== CLIP_FORMAT && value.format !== GRAPH_FORMAT)) return null;
  let doc: unknown = value;
  if (value.format === CLIP_FORMAT) {
    doc = { format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Clipboard', nodes: detach(value.nodes), edges: value.edges };
  }
  const { doc: loaded, diagnostics } = parseGraph(doc);
  if (!loaded) return { clip: null, problems: diagnostics.filter((d) => d.severity === 'error') };
  return { clip: { format: CLIP_FORMAT, nodes: loaded.nodes, edges: loaded.edges }, problems: [] };
}

/** A copied inner node whose group was left behind is, on its own, a top-level node. */
function detach(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  const ids = new Set(nodes.map((n) => (isObject(n) ? n.id : undefined)));
  return nodes.map((n) => {
    if (!isObject(n) || typeof n.parentId !== 'string' || ids.has(n.parentId)) return n;
    const { parentId: _dropped, ...rest } = n;
    return rest;
  });
}

/** The clip in `text` if it is one that loads; null otherwise. */
export function clipFromText(text: string): Clip | null {
  return readClip(text)?.clip ?? null;
}

/** The clip's nodes and edges with ids no one in `taken` uses; nodes not inside a copied group shift by `offset`. */
export function pasteNodes(clip: Clip, taken: Set<string>, offset: XY): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const clipIds = new Set(clip.nodes.map((n) => n.id));
  const fresh = remapIds(clip.nodes, clip.edges, taken);
  const nodes = fresh.nodes.map((n, i) => {
    const parent = clip.nodes[i].parentId;
    const innerOfClip = parent !== undefined && clipIds.has(parent);
    return innerOfClip ? n : { ...n, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  return { nodes, edges: fresh.edges };
}
