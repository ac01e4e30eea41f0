import { describe, expect, it } from 'vitest';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import { fakeOpts, ganDoc } from './fixtures';

describe('serializeGraph', () => {
  it('save → load → save gives the same bytes', () => {
    const first = serializeGraph(ganDoc());
    const loaded = parseGraph(first, fakeOpts);
    expect(loaded.diagnostics).toEqual([]);
    expect(serializeGraph(loaded.doc!)).toBe(first);
  });

  it('writes 2-space indented JSON with a trailing newline', () => {
    const text = serializeGraph(ganDoc());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "genloom.graph",');
  });

  it('key order does not depend on the order the object was built in', () => {
    const d = ganDoc();
    const shuffled = JSON.parse(JSON.stringify(d), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(Object.keys(shuffled)[0]).not.toBe('format');
    expect(serializeGraph(shuffled)).toBe(serializeGraph(d));
  });

  it('keeps params as written: no defaults injected, unset fields not written', () => {
    const text = serializeGraph(parseGraph(serializeGraph(ganDoc()), fakeOpts).doc!);
    const g1 = JSON.parse(text).nodes.find((n: { id: string }) => n.id === 'g1');
    expect(g1.params).toEqual({ units: 2 });
    expect('parentId' in g1).toBe(false);
    expect('viewport' in JSON.parse(text)).toBe(false);
  });

  it('a document without training loads with defaults and then round-trips', () => {
    const raw: Record<string, unknown> = { ...ganDoc() };
    delete raw.training;
    const once = serializeGraph(parseGraph(raw, fakeOpts).doc!);
    expect(JSON.parse(once).training.batchSize).toBe(64);
    expect(serializeGraph(parseGraph(once, fakeOpts).doc!)).toBe(once);
  });
});
