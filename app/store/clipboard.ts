// The clipboard format: a subgraph as plain JSON text, so it pastes across tabs and windows.
import type { GraphEdge, GraphNode, XY } from '../../runtime/graph/document';
import { remapIds } from '../../runtime/graph/ids';
import { getNodeDef } from '../../nodes/registry';

export interface Clip {
  format: 'genloom.clipboard';
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const CLIP_FORMAT = 'genloom.clipboard';

export function clipToText(clip: Clip): string {
  return JSON.stringify(clip);
}

/** The clip in `text`, or null when the text is not one (pasting prose must do nothing). */
export function clipFromText(text: string): Clip | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<Clip> & { format?: string };
  // A whole exported graph pastes as its nodes and edges too.
  if ((v.format !== CLIP_FORMAT && v.format !== 'genloom.graph') || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) return null;
  const nodes = v.nodes.filter(
    (n): n is GraphNode =>
      typeof n?.id === 'string' && typeof n.type === 'string' && !!getNodeDef(n.type) && typeof n.position?.x === 'number',
  );
  const ids = new Set(nodes.map((n) => n.id));
  const edges = v.edges.filter((e): e is GraphEdge => typeof e?.id === 'string' && ids.has(e.source) && ids.has(e.target));
  return { format: CLIP_FORMAT, nodes, edges };
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
