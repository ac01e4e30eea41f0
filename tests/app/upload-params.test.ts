// What an upload records on a textDataset node is one undoable edit, and a bad value changes nothing.
import { describe, expect, it } from 'vitest';
import { createEditor, redo, undo } from '../../app/store/history';
import { addNode, setParams } from '../../app/store/edits';
import { emptyDocument } from '../../app/store/graph';

describe('setParams', () => {
  it('sets several params in one undo step', () => {
    let s = createEditor(emptyDocument());
    s = addNode(s, 'textDataset', { x: 0, y: 0 });
    const id = s.doc.nodes[0].id;
    const { state, error } = setParams(s, id, { corpus: 'upload', uploadName: 'mine.txt', uploadVocabSize: 12 });
    expect(error).toBeNull();
    expect(state.doc.nodes[0].params).toMatchObject({ corpus: 'upload', uploadName: 'mine.txt', uploadVocabSize: 12 });
    expect(state.past.length).toBe(s.past.length + 1);
    expect(undo(state).doc).toEqual(s.doc);
    expect(redo(undo(state)).doc).toEqual(state.doc);
  });

  it('refuses all of them when one does not fit', () => {
    let s = createEditor(emptyDocument());
    s = addNode(s, 'textDataset', { x: 0, y: 0 });
    const id = s.doc.nodes[0].id;
    const { state, error } = setParams(s, id, { corpus: 'upload', contextLength: 0 });
    expect(error).toMatch(/contextLength/);
    expect(state).toBe(s);
  });
});
