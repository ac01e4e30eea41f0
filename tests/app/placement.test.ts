// Nodes never land on others: a drop finds the nearest free spot, and a group that grows when
// expanded (after an auto-layout that sized it collapsed) moves aside what it would cover.
import { describe, expect, it } from 'vitest';
import { freeSpot, placeAt } from '../../app/canvas/placement';
import { boxOf, overlaps, type Size } from '../../app/store/boxes';
import { setCollapsed } from '../../app/store/edits';
import { createEditor } from '../../app/store/history';
import { autoLayout } from '../../app/store/layout';
import type { GraphDocument } from '../../runtime/graph/document';
import { defaultSettingsGan } from '../fixtures/default-gan';

const topLevelOverlaps = (doc: GraphDocument, sizes: Record<string, Size>) => {
  const top = doc.nodes.filter((n) => !n.parentId);
  const hits: string[] = [];
  for (let i = 0; i < top.length; i++)
    for (let j = i + 1; j < top.length; j++) if (overlaps(boxOf(top[i], sizes), boxOf(top[j], sizes))) hits.push(`${top[i].id}/${top[j].id}`);
  return hits;
};

describe('placing nodes', () => {
  it('keeps a free drop point and moves a covered one to the nearest free spot', () => {
    const taken = [{ x: 0, y: 0, width: 200, height: 100 }];
    expect(freeSpot(taken, { width: 200, height: 100 }, { x: 500, y: 500 })).toEqual({ x: 500, y: 500 });
    const spot = freeSpot(taken, { width: 200, height: 100 }, { x: 20, y: 10 });
    expect(overlaps({ ...spot, width: 200, height: 100 }, taken[0])).toBe(false);
    // Nearest: straight below the node (a 100-high node plus the gap), not somewhere far.
    expect(Math.hypot(spot.x - 20, spot.y - 10)).toBeLessThan(160);
  });

  it('drops a discriminator dropped on the noise node beside it, not over it', () => {
    const doc = defaultSettingsGan();
    const z = doc.nodes.find((n) => n.id === 'z')!;
    const { position, parentId } = placeAt(doc, 'discriminator', { x: z.position.x + 10, y: z.position.y + 10 });
    expect(parentId).toBeUndefined();
    const box = { ...position, width: 520, height: 260 };
    expect(doc.nodes.filter((n) => !n.parentId && overlaps(box, boxOf(n, {}))).map((n) => n.id)).toEqual([]);
  });

  it('collapse, auto-layout, expand: the expanded group covers no node', () => {
    const sizes: Record<string, Size> = { D: { width: 220, height: 90 } };
    let s = createEditor(defaultSettingsGan());
    s = setCollapsed(s, 'D', true);
    s = autoLayout(s, sizes);
    // Without making room, the group's full box would cover the loss laid out beside its collapsed box.
    const naive = structuredClone(s.doc);
    delete naive.nodes.find((n) => n.id === 'D')!.collapsed;
    expect(topLevelOverlaps(naive, {})).not.toEqual([]);
    s = setCollapsed(s, 'D', false, sizes);
    expect(topLevelOverlaps(s.doc, {})).toEqual([]);
  });
});
