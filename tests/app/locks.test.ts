// The lock from the editor's side: one undo step, only on nodes with weights, nothing written when
// unlocked, and the canvas told which nodes a group's lock holds and how many parameters are frozen.
import { describe, expect, it } from 'vitest';
import { createEditor, redo, undo } from '../../app/store/history';
import { setFrozen } from '../../app/store/locks';
import { countLabel } from '../../app/canvas/LockBadge';
import { toFlowNodes } from '../../app/canvas/toFlow';
import { analyze } from '../../runtime/compiler/analyze';
import { serializeGraph } from '../../runtime/graph/load';
import { ganDoc } from '../compiler/docs';

const EMPTY = { positions: {}, sizes: {} };

describe('locking nodes in the editor', () => {
  it('freezes and unfreezes a layer as one undo step each, writing nothing once unlocked', () => {
    const start = createEditor(ganDoc());
    const locked = setFrozen(start, 'g1', true);
    expect(locked.doc.nodes.find((n) => n.id === 'g1')!.frozen).toBe(true);
    expect(undo(locked).doc).toEqual(start.doc);
    expect(redo(undo(locked)).doc).toEqual(locked.doc);
    const unlocked = setFrozen(locked, 'g1', false);
    expect(serializeGraph(unlocked.doc)).toBe(serializeGraph(start.doc));
  });

  it('leaves nodes without weights alone', () => {
    const start = createEditor(ganDoc());
    expect(setFrozen(start, 'z', true)).toBe(start);
    expect(setFrozen(start, 'loss', true)).toBe(start);
  });

  it('a locked group shows its inner nodes frozen by it, with their parameters counted as frozen', () => {
    const state = setFrozen(setFrozen(createEditor(ganDoc()), 'D', true), 'g1', true);
    const analysis = analyze(state.doc);
    const nodes = toFlowNodes(state.doc, analysis, state.selection, EMPTY, {});
    const data = (id: string) => nodes.find((n) => n.id === id)!.data;
    expect(data('d1').lockedByGroup).toBe(true);
    expect(data('D').lockedByGroup).toBe(false);
    expect(data('g2').frozenCount).toBeUndefined();
    // ganDoc: d1 is 2 → 8 (24 params), d2 8 → 1 (9); g1 is 4 → 8 (40)
    expect(data('D').frozenCount).toBe(24 + 9);
    expect(data('D').paramCount).toBe(24 + 9);
    expect(data('g1').frozenCount).toBe(40);
  });

  it('labels a count by what is trainable and what is frozen', () => {
    expect(countLabel(1200, undefined)).toBe('1.2k params');
    expect(countLabel(1200, 1200)).toBe('1.2k frozen');
    expect(countLabel(1500, 300)).toBe('1.2k trainable · 300 frozen');
  });
});
