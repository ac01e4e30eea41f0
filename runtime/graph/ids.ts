// Fresh ids for paste and duplicate.
import type { GraphEdge, GraphNode } from './document';

/** `${prefix}${n}` for the smallest n ≥ 1 not in `taken`; the id is added to `taken` so repeated calls differ. */
export function freshId(prefix: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** "dense3" → "dense", so a copy of "g1" reads "g2" rather than "g11". */
function prefixOf(id: string): string {
  return id.replace(/\d+$/, '') || 'n';
}

export interface Remapped {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Old node id → new node id. */
  idMap: Map<string, string>;
}

/**
 * Copies of `nodes` with fresh ids, and of the `edges` whose both ends are among them (so a copied
 * group keeps its inner wiring); wires to nodes left behind are dropped. `taken` holds the ids already
 * in the destination graph and receives the new ones. A parentId is remapped when the group is copied
 * too, kept when that group exists in the destination (duplicating inside a group), dropped otherwise.
 */
export function remapIds(nodes: readonly GraphNode[], edges: readonly GraphEdge[], taken: Set<string>): Remapped {
  const existing = new Set(taken);
  const idMap = new Map<string, string>();
  for (const n of nodes) idMap.set(n.id, freshId(prefixOf(n.id), taken));
  const outNodes = nodes.map((n) => {
    const copy: GraphNode = structuredClone(n);
    copy.id = idMap.get(n.id)!;
    if (n.parentId !== undefined) {
      const p = idMap.get(n.parentId) ?? (existing.has(n.parentId) ? n.parentId : undefined);
      if (p === undefined) delete copy.parentId;
      else copy.parentId = p;
    }
    return copy;
  });
  const outEdges = edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e) => ({ ...e, id: freshId(prefixOf(e.id), taken), source: idMap.get(e.source)!, target: idMap.get(e.target)! }));
  return { nodes: outNodes, edges: outEdges, idMap };
}
