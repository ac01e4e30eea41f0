import { describe, expect, it } from 'vitest';
import { freshId, remapIds } from '../../runtime/graph/ids';
import { parseGraph } from '../../runtime/graph/load';
import { fakeOpts, ganDoc } from './fixtures';

const allIds = (d: ReturnType<typeof ganDoc>) => new Set([...d.nodes.map((n) => n.id), ...d.edges.map((e) => e.id)]);

describe('freshId', () => {
  it('picks the first free number and reserves it', () => {
    const taken = new Set(['g1', 'g3']);
    expect(freshId('g', taken)).toBe('g2');
    expect(freshId('g', taken)).toBe('g4');
    expect(taken.has('g2') && taken.has('g4')).toBe(true);
  });
});

describe('remapIds', () => {
  it('duplicating a whole group keeps its inner edges with fresh ids and remaps parentId', () => {
    const d = ganDoc();
    const picked = new Set(['disc', 'd1']);
    const taken = allIds(d);
    const r = remapIds(d.nodes.filter((n) => picked.has(n.id)), d.edges, taken);
    const disc2 = r.idMap.get('disc')!;
    const d12 = r.idMap.get('d1')!;
    expect(r.nodes.map((n) => n.id)).toEqual([disc2, d12]);
    expect(new Set([disc2, d12, ...r.edges.map((e) => e.id)]).size).toBe(4);
    for (const id of [disc2, d12, ...r.edges.map((e) => e.id)]) expect(allIds(d).has(id)).toBe(false);
    expect(r.nodes[1].parentId).toBe(disc2);
    // Only the inner wiring comes along; the wires from g1 and data stayed with the original.
    expect(r.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      [disc2, 'innerIn', d12, 'in'],
      [d12, 'out', disc2, 'innerOut'],
    ]);
    // The copy is a valid part of the same graph.
    const merged = { ...d, nodes: [...d.nodes, ...r.nodes], edges: [...d.edges, ...r.edges] };
    expect(parseGraph(merged, fakeOpts).diagnostics).toEqual([]);
  });

  it('does not touch the originals', () => {
    const d = ganDoc();
    const r = remapIds(d.nodes, d.edges, allIds(d));
    r.nodes[0].params.size = 100;
    expect(d.nodes[0].params.size).toBe(4);
  });

  it('an inner node pasted alone stays in its group if that group exists there, else leaves it', () => {
    const d = ganDoc();
    const inner = d.nodes.filter((n) => n.id === 'd1');
    expect(remapIds(inner, d.edges, allIds(d)).nodes[0].parentId).toBe('disc');
    const elsewhere = remapIds(inner, d.edges, new Set(['a']));
    expect(elsewhere.nodes[0].parentId).toBeUndefined();
    expect(elsewhere.edges).toEqual([]);
  });
});
