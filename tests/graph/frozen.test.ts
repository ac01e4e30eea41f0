// The lock in the graph format: stored on layer nodes and groups, round-tripped, refused on nodes
// without weights, and absent from every file saved before it existed (those still load unchanged).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import { frozenNodeIds, parseFreezeList } from '../../runtime/graph/frozen';
import { ganDoc } from '../compiler/docs';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

describe('the frozen lock in the graph format', () => {
  it('round-trips on a layer node and a group', () => {
    const d = ganDoc();
    d.nodes.find((n) => n.id === 'g1')!.frozen = true;
    d.nodes.find((n) => n.id === 'D')!.frozen = true;
    const text = serializeGraph(d);
    const loaded = parseGraph(text);
    expect(loaded.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(loaded.doc!.nodes.filter((n) => n.frozen).map((n) => n.id).sort()).toEqual(['D', 'g1']);
    expect(serializeGraph(loaded.doc!)).toBe(text);
    expect([...frozenNodeIds(loaded.doc!.nodes)].sort()).toEqual(['D', 'd1', 'd2', 'g1']);
  });

  it('is refused on a node that holds no weights, naming it', () => {
    const raw = JSON.parse(serializeGraph(ganDoc()));
    raw.nodes.find((n: { id: string }) => n.id === 'z').frozen = true;
    const { doc, diagnostics } = parseGraph(raw);
    expect(doc).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ nodeId: 'z', field: 'frozen', message: expect.stringMatching(/node "z".*noise has none/) })]);
  });

  it('must be true or false', () => {
    const raw = JSON.parse(serializeGraph(ganDoc()));
    raw.nodes.find((n: { id: string }) => n.id === 'g1').frozen = 'yes';
    const { diagnostics } = parseGraph(raw);
    expect(diagnostics.some((x) => x.nodeId === 'g1' && /frozen/.test(x.message))).toBe(true);
  });

  it('files saved before the lock existed load with nothing frozen', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(EXAMPLES, f), 'utf8');
      if (text.includes('"frozen"')) continue;
      const { doc } = parseGraph(text);
      expect(doc, f).not.toBeNull();
      expect(frozenNodeIds(doc!.nodes).size, f).toBe(0);
    }
  });

  it("--freeze's list names every id the graph lacks", () => {
    const { nodes } = ganDoc();
    expect(parseFreezeList('g1, d1', nodes)).toEqual({ ids: ['g1', 'd1'], problems: [] });
    expect(parseFreezeList('g1,nope', nodes).problems).toEqual(['--freeze: the graph has no node "nope"']);
    expect(parseFreezeList(' , ', nodes).problems).toHaveLength(1);
  });
});
