// Where a node lands: inside an expanded group when it is dropped on one (layer nodes only), and
// never on top of another node: the nearest free spot to the drop point.
import type { GraphDocument, XY } from '../../runtime/graph/document';
import { getNodeDef } from '../../nodes/registry';
import { absolutePosition, GROUP_DEFAULT_SIZE, groupSize, isGroup } from '../store/graph';
import { boxOf, DEFAULT_NODE_SIZE, overlaps, type Box, type Size } from '../store/boxes';

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

const GAP = 16;
const STEP = 32;

/** The free top-left corner nearest to `at` for a box of `size` that touches none of `taken` (with a gap). */
export function freeSpot(taken: Box[], size: Size, at: XY): XY {
  const fits = (p: XY) => !taken.some((b) => overlaps({ ...p, ...size }, b, GAP));
  if (fits(at)) return at;
  for (let ring = 1; ring < 200; ring++) {
    const r = ring * STEP;
    // Candidates on the square ring at distance r, nearest first.
    const cands: XY[] = [];
    for (let d = -r; d <= r; d += STEP) {
      cands.push({ x: at.x + d, y: at.y - r }, { x: at.x + d, y: at.y + r }, { x: at.x - r, y: at.y + d }, { x: at.x + r, y: at.y + d });
    }
    cands.sort((a, b) => Math.hypot(a.x - at.x, a.y - at.y) - Math.hypot(b.x - at.x, b.y - at.y));
    const hit = cands.find(fits);
    if (hit) return hit;
  }
  return at;
}

/** Parent and local position for a node of `type` dropped at the canvas point, moved off any node it would cover. */
export function placeAt(doc: GraphDocument, type: string, point: XY, sizes: Record<string, Size> = {}): { parentId?: string; position: XY } {
  const def = getNodeDef(type);
  const parentId = def?.role === 'layer' ? groupAt(doc, point) : undefined;
  const size = def?.role === 'group' ? GROUP_DEFAULT_SIZE : DEFAULT_NODE_SIZE;
  const siblings = doc.nodes.filter((n) => n.parentId === parentId).map((n) => boxOf(n, sizes));
  if (!parentId) return { position: freeSpot(siblings, size, point) };
  const parent = doc.nodes.find((n) => n.id === parentId)!;
  const p = absolutePosition(doc, parent);
  return { parentId, position: freeSpot(siblings, size, { x: point.x - p.x, y: point.y - p.y }) };
}
