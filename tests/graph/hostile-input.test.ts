// Files are untrusted: ids that look like the compiler's internals, param keys named after
// Object.prototype members, identifiers of any length and unknown names built to be slow must all end
// in a diagnostic that names the field, never in an exception, a silent drop or a long wait.
import { describe, expect, it } from 'vitest';
import { nodeTypeNames } from '../../nodes/registry';
import { compile } from '../../runtime/compiler/compile';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import { boundedDistance, closeMatches, MAX_COMPARED, type DistanceWork } from '../../runtime/graph/names';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH } from '../../runtime/graph/schema';
import { createEditor } from '../../app/store/history';
import { setDocInfo, setLabel, setParam, setParams } from '../../app/store/edits';
import { ganDoc } from '../compiler/docs';

/** The GAN (or `d`) with node `from` renamed to `to`, wires included. */
function renamed(from: string, to: string, d: GraphDocument = ganDoc()): GraphDocument {
  for (const node of d.nodes) {
    if (node.id === from) node.id = to;
    if (node.parentId === from) node.parentId = to;
  }
  for (const e of d.edges) {
    if (e.source === from) e.source = to;
    if (e.target === from) e.target = to;
  }
  return d;
}

function compiles(d: GraphDocument) {
  const { compiled, diagnostics } = compile(d);
  compiled?.dispose();
  return { ok: compiled !== null, errors: diagnostics.filter((x) => x.severity === 'error') };
}

describe('ids that look like internal vertex names', () => {
  it.each(['D#out', 'g1#out', 'D\u0000inner-in', '#out', 'd1\u0000inner-out'])('a node named %j compiles like any other', (id) => {
    const target = id.startsWith('d1') ? 'd1' : id.startsWith('D') ? 'g2' : id === '#out' ? 'z' : 'g2';
    const d = renamed(target, id);
    expect(parseGraph(d).diagnostics).toEqual([]);
    expect(compiles(d)).toEqual({ ok: true, errors: [] });
  });
});

describe('param keys named after Object.prototype members', () => {
  const hostile = () => JSON.parse('{"units": 4, "__proto__": {"polluted": true}, "constructor": 1, "toString": "x"}') as Record<string, unknown>;

  it('are unknown params to the loader and to the compiler, and pollute nothing', () => {
    const d = ganDoc();
    d.nodes.find((x) => x.id === 'g1')!.params = hostile();
    const loaded = parseGraph(d).diagnostics;
    expect(loaded.map((x) => [x.code, x.nodeId, x.field]).sort()).toEqual([
      ['bad-param', 'g1', '__proto__'],
      ['bad-param', 'g1', 'constructor'],
      ['bad-param', 'g1', 'toString'],
    ]);
    expect(loaded[0].message).toMatch(/^node "g1": has no param "(__proto__|constructor|toString)" \(params: units/);
    const compiled = compiles(d).errors;
    expect(compiled.map((x) => x.field).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the inspector refuses them too', () => {
    const s = createEditor(ganDoc());
    expect(setParam(s, 'g1', 'constructor', 3)).toEqual({ state: s, error: 'node "g1" has no param "constructor"' });
    expect(setParams(s, 'g1', hostile()).state).toBe(s);
  });

  it('saving writes every param key a document holds, "__proto__" included', () => {
    const d = ganDoc();
    d.nodes[1].params = hostile();
    const saved = serializeGraph(d);
    expect(saved).toContain('"__proto__": {');
    expect(Object.keys(JSON.parse(saved).nodes[1].params).sort()).toEqual(['__proto__', 'constructor', 'toString', 'units']);
  });
});

describe('identifiers are bounded in length', () => {
  const long = 'x'.repeat(MAX_ID_LENGTH + 1);
  it.each([
    ['a node id', (d: GraphDocument) => (d.nodes[0].id = long), 'id'],
    ['a node type', (d: GraphDocument) => (d.nodes[0].type = long), 'type'],
    ['a parentId', (d: GraphDocument) => (d.nodes[5].parentId = long), 'parentId'],
    ['an edge id', (d: GraphDocument) => (d.edges[0].id = long), 'id'],
    ['an edge handle', (d: GraphDocument) => (d.edges[0].sourceHandle = long), 'sourceHandle'],
    ['a node label', (d: GraphDocument) => (d.nodes[1].label = 'y'.repeat(MAX_NAME_LENGTH + 1)), 'label'],
    ['the graph name', (d: GraphDocument) => (d.name = 'y'.repeat(MAX_NAME_LENGTH + 1)), 'name'],
  ])('%s that is too long is refused, naming the field and the limit', (_what, change, field) => {
    const d = ganDoc();
    change(d);
    const r = parseGraph(d);
    expect(r.doc).toBeNull();
    const hit = r.diagnostics.find((x) => x.code === 'schema' && x.field?.endsWith(field));
    expect(hit, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(hit!.message).toMatch(/must be at most (128|200) characters, got "(x|y){40}…"/);
  });
});

describe('"did you mean" does bounded work', () => {
  const known = nodeTypeNames();

  it('still finds typos, other case and prefixes', () => {
    expect(closeMatches('dens', known)).toContain('dense');
    expect(closeMatches('Dnese', known)[0]).toBe('dense');
    expect(closeMatches('CONV2D', known)[0]).toBe('conv2d');
  });

  it('a name longer than any known one costs no table cells at all, whatever its length', () => {
    const work: DistanceWork = { cells: 0 };
    for (let i = 0; i < 200; i++) expect(closeMatches(`${'q'.repeat(50_000)}${i}`, known, 3, work)).toEqual([]);
    expect(work.cells).toBe(0);
  });

  it('below the cap, the work is a band around the diagonal, not the whole table', () => {
    const a = 'a'.repeat(MAX_COMPARED);
    const b = 'b'.repeat(MAX_COMPARED);
    const work: DistanceWork = { cells: 0 };
    expect(boundedDistance(a, b, 3, work)).toBe(4);
    // A full table is 64 × 64 = 4,096 cells; the band of width 7 gives up after the first rows.
    expect(work.cells).toBeLessThanOrEqual(MAX_COMPARED * 7);
    const near: DistanceWork = { cells: 0 };
    expect(boundedDistance(`${a}xy`, a, 3, near)).toBe(2);
    expect(near.cells).toBeLessThanOrEqual((MAX_COMPARED + 2) * 7);
  });

  it('200 unknown types of 50,000 characters each are refused by length, without one suggestion', () => {
    const d = ganDoc();
    for (let i = 0; i < 200; i++) d.nodes.push({ id: `u${i}`, type: `${'t'.repeat(50_000)}${i}`, position: { x: 0, y: 0 }, params: {} });
    const r = parseGraph(d);
    expect(r.diagnostics).toHaveLength(200);
    expect(r.diagnostics.every((x) => x.code === 'schema' && x.field === 'type' && x.message.length < 200)).toBe(true);
  });
});

describe('what the editor writes, the loader reads back', () => {
  it('labels and names typed in the inspector are clipped to the lengths the loader accepts', () => {
    let s = createEditor(ganDoc());
    s = setLabel(s, 'g1', `  ${'l'.repeat(5000)}  `);
    s = setDocInfo(s, { name: 'n'.repeat(5000), description: 'd'.repeat(50_000) });
    expect(s.doc.nodes.find((x) => x.id === 'g1')!.label).toHaveLength(MAX_NAME_LENGTH);
    expect(parseGraph(serializeGraph(s.doc)).diagnostics).toEqual([]);
  });
});

describe('ids that tfjs cannot tell apart', () => {
  it('two ids that give one layer name are a diagnostic naming both nodes, not an exception', () => {
    const d = renamed('g2', 'x_y');
    const both = renamed('g2', 'x_y', renamed('g1', 'x y'));
    expect(compiles(d)).toEqual({ ok: true, errors: [] });
    const { ok, errors } = compiles(both);
    expect(ok).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'shape', nodeId: 'x_y' });
    expect(errors[0].message).toContain('dense "x_y" could not be built: its layer name "x_y" is already taken by node "x y"');
  });
});
