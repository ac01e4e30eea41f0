// Pasted text is untrusted like an opened file: it goes through the loader's checks, and a clip that
// fails them pastes nothing and says why.
import { describe, expect, it } from 'vitest';
import { clipToText, readClip } from '../../app/store/clipboard';
import { copySelection, paste, setSelection } from '../../app/store/edits';
import { createEditor } from '../../app/store/history';
import { serializeGraph } from '../../runtime/graph/load';
import { ganDoc } from '../compiler/docs';

const clipOf = (nodes: unknown[], edges: unknown[] = []) => JSON.stringify({ format: 'genloom.clipboard', nodes, edges });
const dense = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'dense', position: { x: 0, y: 0 }, params: {}, ...extra });

describe('reading the clipboard', () => {
  it('text that is not a clip is not one (pasting prose does nothing)', () => {
    expect(readClip('hello')).toBeNull();
    expect(readClip('[1, 2]')).toBeNull();
    expect(readClip('{"format":"other","nodes":[],"edges":[]}')).toBeNull();
  });

  it('a copied selection reads back as it was', () => {
    const s = createEditor(ganDoc());
    const clip = copySelection(setSelection(s, { nodes: ['D'], edges: [] }));
    const read = readClip(clipToText(clip))!;
    expect(read.problems).toEqual([]);
    expect(read.clip).toEqual(clip);
  });

  it.each([
    ['an unknown node type', clipOf([{ ...dense('a'), type: 'warpDrive' }]), 'unknown-type'],
    ['a param out of range', clipOf([dense('a', { params: { units: -1 } })]), 'bad-param'],
    ['a prototype-named param', `{"format":"genloom.clipboard","nodes":[{"id":"a","type":"dense","position":{"x":0,"y":0},"params":{"__proto__":{"x":1}}}],"edges":[]}`, 'bad-param'],
    ['an id too long', clipOf([dense('a'.repeat(500))]), 'schema'],
    ['a wire into an output', clipOf([dense('a'), dense('b')], [{ id: 'e', source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'out' }]), 'incompatible-port'],
    ['a wire to a node that is not in the clip', clipOf([dense('a')], [{ id: 'e', source: 'a', sourceHandle: 'out', target: 'zz', targetHandle: 'in' }]), 'dangling-edge'],
    ['a cycle', clipOf([dense('a'), dense('b')], [
      { id: 'e1', source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in' },
      { id: 'e2', source: 'b', sourceHandle: 'out', target: 'a', targetHandle: 'in' },
    ]), 'cycle'],
    ['a node without a position', clipOf([{ id: 'a', type: 'dense', params: {} }]), 'schema'],
  ])('refuses %s with the loader\'s diagnostic', (_what, text, code) => {
    const read = readClip(text)!;
    expect(read.clip).toBeNull();
    expect(read.problems.map((p) => p.code)).toContain(code);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('an inner node copied without its group pastes as a top-level node', () => {
    const read = readClip(clipOf([dense('d9', { parentId: 'D' })]))!;
    expect(read.problems).toEqual([]);
    expect(read.clip!.nodes[0].parentId).toBeUndefined();
  });

  it('a whole exported graph pastes as its nodes and edges, once it loads', () => {
    const s = createEditor(ganDoc());
    const read = readClip(serializeGraph(ganDoc()))!;
    expect(read.problems).toEqual([]);
    const after = paste(s, read.clip!);
    expect(after.doc.nodes).toHaveLength(2 * s.doc.nodes.length);
    expect(readClip(serializeGraph({ ...ganDoc(), training: { ...ganDoc().training, batchSize: 1e9 } }))!.clip).toBeNull();
  });
});
