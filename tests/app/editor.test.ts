import { describe, expect, it } from 'vitest';
import { createEditor, redo, undo, type EditorState } from '../../app/store/history';
import {
  addNode, connect, copySelection, deleteSelection, duplicate, loadDocument, moveNodes, paste, reparent, setCollapsed, setParam, setSelection, setTraining,
} from '../../app/store/edits';
import { emptyDocument } from '../../app/store/graph';
import { clipFromText, clipToText } from '../../app/store/clipboard';
import { importText } from '../../app/store/importer';
import { autoLayout } from '../../app/store/layout';
import { EXAMPLES } from '../../app/examples';
import { serializeGraph } from '../../runtime/graph/load';

/** The edit is one undo step: undo gives back exactly the state before, redo exactly the state after. */
function expectRoundTrip(before: EditorState, after: EditorState) {
  expect(after.doc).not.toEqual(before.doc);
  expect(after.past.length).toBe(before.past.length + 1);
  const undone = undo(after);
  expect(undone.doc).toEqual(before.doc);
  const redone = redo(undone);
  expect(redone.doc).toEqual(after.doc);
}

const ids = (s: EditorState) => s.doc.nodes.map((n) => n.id);
const last = (s: EditorState) => s.doc.nodes[s.doc.nodes.length - 1].id;

/** noise -> dense -> dense, plus a discriminator holding one dense layer wired to its inner handles. */
function sample(): EditorState {
  let s = createEditor(emptyDocument());
  s = addNode(s, 'noise', { x: 0, y: 0 });
  const z = last(s);
  s = addNode(s, 'dense', { x: 240, y: 0 });
  const d1 = last(s);
  s = addNode(s, 'dense', { x: 480, y: 0 });
  const d2 = last(s);
  s = connect(s, { source: z, sourceHandle: 'z', target: d1, targetHandle: 'in' });
  s = connect(s, { source: d1, sourceHandle: 'out', target: d2, targetHandle: 'in' });
  s = addNode(s, 'discriminator', { x: 0, y: 300 });
  const g = last(s);
  s = addNode(s, 'dense', { x: 80, y: 100 }, g);
  const inner = last(s);
  s = connect(s, { source: g, sourceHandle: 'innerIn', target: inner, targetHandle: 'in' });
  s = connect(s, { source: inner, sourceHandle: 'out', target: g, targetHandle: 'innerOut' });
  return { ...s, past: [], future: [] };
}

describe('undo and redo of every kind of edit', () => {
  it('add', () => {
    const s = sample();
    const after = addNode(s, 'dense', { x: 10, y: 20 });
    expect(after.doc.nodes).toHaveLength(s.doc.nodes.length + 1);
    expect(after.selection.nodes).toEqual([last(after)]);
    expectRoundTrip(s, after);
  });

  it('move (a whole drag is one step)', () => {
    const s = sample();
    const [a, b] = ids(s);
    const after = moveNodes(s, { [a]: { x: 32, y: 48 }, [b]: { x: 400, y: 96 } });
    expect(after.doc.nodes.find((n) => n.id === b)!.position).toEqual({ x: 400, y: 96 });
    expectRoundTrip(s, after);
    expect(moveNodes(after, { [a]: { x: 32, y: 48 } })).toBe(after);
  });

  it('delete removes a group with its inner nodes and every touching edge', () => {
    const s = sample();
    const g = s.doc.nodes.find((n) => n.type === 'discriminator')!.id;
    const after = deleteSelection(setSelection(s, { nodes: [g], edges: [] }));
    expect(after.doc.nodes.some((n) => n.id === g || n.parentId === g)).toBe(false);
    expect(after.doc.edges.some((e) => e.source === g || e.target === g)).toBe(false);
    expect(after.doc.edges).toHaveLength(2);
    expectRoundTrip(s, after);
  });

  it('connect, and a refused connection changes nothing', () => {
    let s = createEditor(emptyDocument());
    s = addNode(s, 'noise', { x: 0, y: 0 });
    s = addNode(s, 'dense', { x: 200, y: 0 });
    const [z, d] = ids(s);
    const after = connect(s, { source: z, sourceHandle: 'z', target: d, targetHandle: 'in' });
    expect(after.doc.edges).toEqual([expect.objectContaining({ source: z, target: d, targetHandle: 'in' })]);
    expectRoundTrip(s, after);
    expect(connect(after, { source: d, sourceHandle: 'out', target: d, targetHandle: 'in' })).toBe(after);
    expect(connect(after, { source: d, sourceHandle: 'nope', target: z, targetHandle: 'x' })).toBe(after);
  });

  it('param, and an invalid value is refused with its reason', () => {
    const s = sample();
    const d = s.doc.nodes.find((n) => n.type === 'dense')!.id;
    const ok = setParam(s, d, 'units', 32);
    expect(ok.error).toBeNull();
    expect(ok.state.doc.nodes.find((n) => n.id === d)!.params.units).toBe(32);
    expectRoundTrip(s, ok.state);
    const bad = setParam(s, d, 'units', 0);
    expect(bad.error).toMatch(/at least 1/);
    expect(bad.state).toBe(s);
    expect(setParam(s, d, 'activation', 'sparkle').error).toMatch(/expected one of/);
  });

  it('collapse and expand a group', () => {
    const s = sample();
    const g = s.doc.nodes.find((n) => n.type === 'discriminator')!.id;
    const after = setCollapsed(s, g, true);
    expect(after.doc.nodes.find((n) => n.id === g)!.collapsed).toBe(true);
    expectRoundTrip(s, after);
    expectRoundTrip(after, setCollapsed(after, g, false));
  });

  it('duplicate', () => {
    const s = setSelection(sample(), { nodes: [sample().doc.nodes[1].id], edges: [] });
    const after = duplicate(s);
    expect(after.doc.nodes).toHaveLength(s.doc.nodes.length + 1);
    expect(after.selection.nodes).toHaveLength(1);
    expect(s.doc.nodes.map((n) => n.id)).not.toContain(after.selection.nodes[0]);
    expectRoundTrip(s, after);
  });

  it('load an example, and new graph', () => {
    const s = sample();
    const example = EXAMPLES.find((e) => e.doc)?.doc ?? { ...emptyDocument('Stand-in'), nodes: [{ id: 'z', type: 'noise', position: { x: 0, y: 0 }, params: {} }] };
    const after = loadDocument(s, example, 'Open example');
    expect(after.doc).toEqual(example);
    expectRoundTrip(s, after);
    expectRoundTrip(s, loadDocument(s, emptyDocument(), 'New graph'));
  });

  it('training settings, reparenting and auto-layout', () => {
    const s = sample();
    expectRoundTrip(s, setTraining(s, { steps: 77 }));
    const g = s.doc.nodes.find((n) => n.type === 'discriminator')!.id;
    const free = s.doc.nodes.filter((n) => n.type === 'dense' && !n.parentId)[1].id;
    const moved = reparent(s, free, g, { x: 300, y: 80 });
    const node = moved.doc.nodes.find((n) => n.id === free)!;
    expect(node.parentId).toBe(g);
    // Its wire from outside the group would cross the border, so it goes.
    expect(moved.doc.edges.some((e) => e.target === free)).toBe(false);
    expectRoundTrip(s, moved);
    const laid = autoLayout(s, {});
    const inner = laid.doc.nodes.find((n) => n.parentId === g)!;
    const group = laid.doc.nodes.find((n) => n.id === g)!;
    expect(inner.position.x).toBeGreaterThan(0);
    expect(inner.position.x + 200).toBeLessThanOrEqual(group.width!);
    expectRoundTrip(s, laid);
  });
});

describe('copy and paste', () => {
  it('a copied group keeps its inner edges and gets fresh ids', () => {
    const s = sample();
    const g = s.doc.nodes.find((n) => n.type === 'discriminator')!.id;
    const clip = copySelection(setSelection(s, { nodes: [g], edges: [] }));
    expect(clip.nodes).toHaveLength(2);
    expect(clip.edges).toHaveLength(2);
    // Through text, as between two tabs.
    const after = paste(s, clipFromText(clipToText(clip))!);
    expectRoundTrip(s, after);
    const oldIds = new Set([...s.doc.nodes.map((n) => n.id), ...s.doc.edges.map((e) => e.id)]);
    const newNodes = after.doc.nodes.filter((n) => !oldIds.has(n.id));
    const newEdges = after.doc.edges.filter((e) => !oldIds.has(e.id));
    expect(newNodes).toHaveLength(2);
    expect(newEdges).toHaveLength(2);
    const newGroup = newNodes.find((n) => n.type === 'discriminator')!;
    const newInner = newNodes.find((n) => n.type === 'dense')!;
    expect(newInner.parentId).toBe(newGroup.id);
    expect(newEdges.map((e) => [e.source, e.target]).sort()).toEqual([[newGroup.id, newInner.id], [newInner.id, newGroup.id]].sort());
    // Only the group moves by the paste offset; its inner node stays where it was inside it.
    const oldGroup = s.doc.nodes.find((n) => n.id === g)!;
    expect(newGroup.position).toEqual({ x: oldGroup.position.x + 40, y: oldGroup.position.y + 40 });
    expect(newInner.position).toEqual(s.doc.nodes.find((n) => n.parentId === g)!.position);
    expect(after.selection.nodes).toEqual([newGroup.id]);
  });

  it('a chain copied without its source drops the dangling wire', () => {
    const s = sample();
    const [, d1, d2] = ids(s);
    const clip = copySelection(setSelection(s, { nodes: [d1, d2], edges: [] }));
    expect(clip.edges).toHaveLength(1);
    const after = paste(paste(s, clip), clip);
    expect(new Set(ids(after)).size).toBe(after.doc.nodes.length);
    expect(after.doc.edges).toHaveLength(s.doc.edges.length + 2);
  });

  it('text that is not a clip pastes nothing', () => {
    expect(clipFromText('hello')).toBeNull();
    expect(clipFromText('{"format":"other","nodes":[],"edges":[]}')).toBeNull();
  });
});

describe('opening a file', () => {
  it('a broken or foreign file leaves the graph unchanged and returns the problems', () => {
    const s = sample();
    for (const text of ['{ not json', '{"format":"something.else","version":1}', JSON.stringify({ ...s.doc, nodes: [{ id: 'a', type: 'warpDrive', position: { x: 0, y: 0 }, params: {} }] })]) {
      const { state, problems } = importText(s, text);
      expect(state).toBe(s);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0].message.length).toBeGreaterThan(10);
    }
    const unknown = importText(s, JSON.stringify({ ...s.doc, nodes: [{ id: 'a', type: 'warpDrive', position: { x: 0, y: 0 }, params: {} }], edges: [] }));
    expect(unknown.problems.some((p) => p.nodeId === 'a' || p.message.includes('warpDrive'))).toBe(true);
  });

  it('an exported graph opens back as the same graph, undoably', () => {
    const s = sample();
    const { state, problems } = importText(createEditor(emptyDocument()), serializeGraph(s.doc));
    expect(problems).toEqual([]);
    expect(state.doc.nodes).toEqual(s.doc.nodes);
    expect(state.doc.edges).toEqual(s.doc.edges);
    expect(undo(state).doc).toEqual(emptyDocument());
  });
});
