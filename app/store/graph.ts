// Read-only helpers over a graph document, shared by the edits and the canvas.
import { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphNode } from '../../runtime/graph/document';
import { getNodeDef } from '../../nodes/registry';

export function emptyDocument(name = 'Untitled model'): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [], training: { ...DEFAULT_TRAINING } };
}

export function isGroup(node: Pick<GraphNode, 'type'>): boolean {
  return getNodeDef(node.type)?.role === 'group';
}

/** A fresh id of the form `<base><n>` that no node or edge of the document uses. */
export function freshId(doc: GraphDocument, base: string, taken: Set<string> = allIds(doc)): string {
  const stem = base.replace(/[^A-Za-z0-9_]/g, '') || 'n';
  for (let i = 1; ; i++) {
    const id = `${stem}${i}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

export function allIds(doc: GraphDocument): Set<string> {
  return new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id)]);
}

/** The node ids plus every node inside a selected group. */
export function withDescendants(doc: GraphDocument, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of doc.nodes) {
      if (n.parentId && out.has(n.parentId) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

/** A node's position on the canvas, adding its group's offset for inner nodes. */
export function absolutePosition(doc: GraphDocument, node: GraphNode): { x: number; y: number } {
  const parent = node.parentId ? doc.nodes.find((n) => n.id === node.parentId) : undefined;
  if (!parent) return node.position;
  const p = absolutePosition(doc, parent);
  return { x: p.x + node.position.x, y: p.y + node.position.y };
}

export const GROUP_DEFAULT_SIZE = { width: 520, height: 260 };

export function groupSize(node: GraphNode): { width: number; height: number } {
  return { width: node.width ?? GROUP_DEFAULT_SIZE.width, height: node.height ?? GROUP_DEFAULT_SIZE.height };
}

/** React Flow wants parents before their children; documents may list them in any order. */
export function parentsFirst(nodes: readonly GraphNode[]): GraphNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: GraphNode[] = [];
  const seen = new Set<string>();
  const visit = (n: GraphNode, depth: number) => {
    if (seen.has(n.id) || depth > nodes.length) return;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) visit(parent, depth + 1);
    seen.add(n.id);
    out.push(n);
  };
  for (const n of nodes) visit(n, 0);
  return out;
}
