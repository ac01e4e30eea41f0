// Where a node lands: inside an expanded group when it is dropped on one (layer nodes only).
import type { GraphDocument, XY } from '../../runtime/graph/document';
import { getNodeDef } from '../../nodes/registry';
import { absolutePosition, groupSize, isGroup } from '../store/graph';

/** The expanded group whose box contains the canvas point, innermost (last drawn) first. */
export function groupAt(doc: GraphDocument, point: XY, exclude?: string): string | undefined {
  let hit: string | undefined;
  for (const n of doc.nodes) {
    if (!isGroup(n) || n.collapsed || n.id === exclude) continue;
    const p = absolutePosition(doc, n);
    const { width, height } = groupSize(n);
    if (point.x >= p.x && point.x <= p.x + width && point.y >= p.y && point.y <= p.y + height) hit = n.id;
  }
  return hit;
}

/** Parent and local position for a node of `type` dropped at the canvas point. */
export function placeAt(doc: GraphDocument, type: string, point: XY): { parentId?: string; position: XY } {
  const parentId = getNodeDef(type)?.role === 'layer' ? groupAt(doc, point) : undefined;
  if (!parentId) return { position: point };
  const parent = doc.nodes.find((n) => n.id === parentId)!;
  const p = absolutePosition(doc, parent);
  return { parentId, position: { x: point.x - p.x, y: point.y - p.y } };
}
