// Making room for a group that grows when it is expanded: the top-level nodes it would cover move
// right (those beside it) or down (those below it), together with everything beyond them, so the
// layout keeps its order and no wire changes side.
import type { GraphDocument, XY } from '../../runtime/graph/document';
import { boxOf, overlaps, type Box, type Size } from './boxes';

const GAP = 40;

/** New positions for the top-level nodes that must move so that `groupId`'s box covers none of them. */
export function roomFor(doc: GraphDocument, groupId: string, sizes: Record<string, Size>): Record<string, XY> {
  const group = doc.nodes.find((n) => n.id === groupId);
  if (!group || group.parentId) return {};
  const g = boxOf(group, sizes);
  const boxes = new Map<string, Box>(doc.nodes.filter((n) => !n.parentId && n.id !== groupId).map((n) => [n.id, boxOf(n, sizes)]));
  const moved = new Set<string>();
  for (let round = 0; round < 50; round++) {
    const hit = [...boxes.entries()].find(([, b]) => overlaps(g, b, GAP / 2));
    if (!hit) break;
    const [, b] = hit;
    // Beside the group (its left edge past the group's middle) it moves right; otherwise down.
    if (b.x >= g.x + Math.min(g.width, 240) / 2) {
      const dx = g.x + g.width + GAP - b.x;
      for (const [id, o] of boxes) if (o.x >= b.x) { o.x += dx; moved.add(id); }
    } else {
      const dy = g.y + g.height + GAP - b.y;
      for (const [id, o] of boxes) if (o.y >= b.y) { o.y += dy; moved.add(id); }
    }
  }
  return Object.fromEntries([...moved].map((id) => [id, { x: boxes.get(id)!.x, y: boxes.get(id)!.y }]));
}
