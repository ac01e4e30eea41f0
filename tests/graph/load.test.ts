import { describe, expect, it } from 'vitest';
import { parseGraph } from '../../runtime/graph/load';
import { DEFAULT_TRAINING, type GraphDocument } from '../../runtime/graph/document';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { edge, fakeOpts, ganDoc, node } from './fixtures';

const load = (doc: unknown) => parseGraph(doc, fakeOpts);
const withDoc = (f: (d: GraphDocument) => void) => {
  const d = ganDoc();
  f(d);
  return load(d);
};
const only = (ds: Diagnostic[]) => {
  expect(ds).toHaveLength(1);
  return ds[0];
};

describe('parseGraph: a valid document', () => {
  it('loads the GAN with no diagnostics and keeps params as written', () => {
    const r = load(ganDoc());
    expect(r.diagnostics).toEqual([]);
    expect(r.doc).toEqual(ganDoc());
    expect(r.doc!.nodes.find((n) => n.id === 'g1')!.params).toEqual({ units: 2 });
  });

  it('fills a missing training block, and missing training fields, with defaults', () => {
    const raw: Record<string, unknown> = { ...ganDoc() };
    delete raw.training;
    expect(load(raw).doc!.training).toEqual(DEFAULT_TRAINING);
    const partial = { ...ganDoc(), training: { steps: 7 } };
    expect(load(partial).doc!.training).toEqual({ ...DEFAULT_TRAINING, steps: 7 });
  });

  it('reads JSON text and leaves an input object untouched', () => {
    const d = ganDoc();
    const before = JSON.stringify(d);
    expect(parseGraph(JSON.stringify(d), fakeOpts).doc).toEqual(d);
    const r = load(d);
    r.doc!.nodes[0].params.size = 99;
    expect(JSON.stringify(d)).toBe(before);
  });

  it('uses the real node registry by default', () => {
    const doc = { format: 'genloom.graph', version: 1, name: 'x', nodes: [node('g1', 'dense', { params: { units: 0 } })], edges: [] };
    const d = only(parseGraph(doc).diagnostics);
    expect(d).toMatchObject({ code: 'bad-param', nodeId: 'g1', field: 'units' });
    expect(d.message).toBe('node "g1": param "units": must be at least 1, got 0');
  });
});

describe('parseGraph: format and version', () => {
  it('refuses another version and names the supported ones', () => {
    const r = load({ ...ganDoc(), version: 7 });
    expect(r.doc).toBeNull();
    const d = only(r.diagnostics);
    expect(d).toMatchObject({ code: 'format', field: 'version' });
    expect(d.message).toContain('this file is version 7 of genloom.graph; supported: 1');
  });

  it('refuses another format', () => {
    const d = only(load({ ...ganDoc(), format: 'comfy.workflow' }).diagnostics);
    expect(d.code).toBe('format');
    expect(d.message).toContain('"comfy.workflow"');
    expect(d.message).toContain('genloom.graph versions 1');
  });

  it('reports invalid JSON text with its line and column', () => {
    const text = '{\n  "format": "genloom.graph",\n  "version": 1,\n  "nodes": [,]\n}';
    const d = only(parseGraph(text, fakeOpts).diagnostics);
    expect(d.code).toBe('format');
    expect(d.message).toContain('line 4, column 13');
    expect(d.message).toContain(`position ${text.indexOf('[,') + 1}`);
  });

  it('refuses something that is not an object', () => {
    expect(only(load([1, 2]).diagnostics).code).toBe('format');
  });
});

describe('parseGraph: one broken document per diagnostic code', () => {
  it('schema: wrong types, missing fields and bad training values name the node and field', () => {
    const r = withDoc((d) => {
      (d.nodes[1].position as unknown as Record<string, unknown>).x = 'left';
      delete (d.nodes[2] as unknown as Record<string, unknown>).position;
      d.training.batchSize = 0;
    });
    expect(r.doc).toBeNull();
    expect(r.diagnostics).toHaveLength(3);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({
      code: 'schema', nodeId: 'g1', field: 'position.x', message: 'node "g1": field "position.x": expected a number, got text',
    }));
    expect(r.diagnostics).toContainEqual(expect.objectContaining({
      code: 'schema', nodeId: 'data', field: 'position', message: 'node "data": field "position": missing (expected an object)',
    }));
    expect(r.diagnostics).toContainEqual(expect.objectContaining({
      code: 'schema', field: 'training.batchSize', message: 'training setting "batchSize": must be at least 1, got 0',
    }));
  });

  it('schema: unknown fields on the document, a node, an edge and training are rejected by name', () => {
    const r = load({
      ...ganDoc(),
      author: 'me',
      nodes: ganDoc().nodes.map((n) => (n.id === 'g1' ? { ...n, parms: { units: 3 } } : n)),
      edges: ganDoc().edges.map((e) => (e.id === 'e3' ? { ...e, animated: true } : e)),
      training: { ...ganDoc().training, epochs: 3 },
    });
    const ds = r.diagnostics;
    expect(ds.every((d) => d.code === 'schema')).toBe(true);
    expect(ds).toHaveLength(4);
    expect(ds.find((d) => d.field === 'author')!.message).toMatch(/^unknown top-level field "author"/);
    expect(ds.find((d) => d.nodeId === 'g1')!.message).toBe('node "g1": unknown field "parms"; did you mean "params"?');
    expect(ds.find((d) => d.edgeId === 'e3')!).toMatchObject({ field: 'animated' });
    expect(ds.find((d) => d.field === 'training.epochs')!.message).toContain('unknown training setting "epochs"');
  });

  it('schema: a node without an id is named by its index', () => {
    const r = withDoc((d) => d.nodes.push({ type: 'dense', position: { x: 0, y: 0 }, params: {} } as unknown as never));
    const d = only(r.diagnostics);
    expect(d).toMatchObject({ code: 'schema', field: 'nodes[5].id' });
    expect(d.message).toBe('nodes[5]: field "id": missing (expected text)');
  });

  it('duplicate-id: nodes and edges', () => {
    const r = withDoc((d) => {
      d.nodes.push(node('g1', 'dense'));
      d.edges.push(edge('e1', 'data', 'x', 'g1', 'in'));
    });
    const dups = r.diagnostics.filter((d) => d.code === 'duplicate-id');
    expect(dups).toHaveLength(2);
    expect(dups[0]).toMatchObject({ nodeId: 'g1', message: 'node "g1": the id is used by more than one node (nodes[1] and nodes[5])' });
    expect(dups[1]).toMatchObject({ edgeId: 'e1' });
  });

  it('unknown-type: suggests close matches', () => {
    const d = only(withDoc((doc) => (doc.nodes[1].type = 'dens')).diagnostics);
    expect(d).toMatchObject({ code: 'unknown-type', nodeId: 'g1', field: 'type' });
    expect(d.message).toBe('node "g1": unknown node type "dens"; did you mean "dense"?');
  });

  it('unknown-type: lists the known types when nothing is close', () => {
    const d = only(withDoc((doc) => (doc.nodes[1].type = 'transformer')).diagnostics);
    expect(d.message).toContain('known types: noise, dataset, dense');
  });

  it('bad-param: out of range, wrong option, and unknown params (not dropped)', () => {
    const r = withDoc((d) => (d.nodes[1].params = { units: 0, activation: 'gelu', unts: 3 }));
    expect(r.doc).toBeNull();
    const ds = r.diagnostics;
    expect(ds.every((d) => d.code === 'bad-param' && d.nodeId === 'g1')).toBe(true);
    expect(ds.map((d) => d.field).sort()).toEqual(['activation', 'units', 'unts']);
    expect(ds.find((d) => d.field === 'activation')!.message).toBe('node "g1": param "activation": expected one of none, relu, got "gelu"');
    expect(ds.find((d) => d.field === 'unts')!.message).toContain('has no param "unts"');
  });

  it('dangling-edge: missing node, missing handle', () => {
    const r = withDoc((d) => {
      d.edges[0].source = 'ghost';
      d.edges[2].sourceHandle = 'y';
    });
    expect(r.diagnostics).toHaveLength(2);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'dangling-edge', edgeId: 'e1', field: 'source', message: 'source node "ghost" does not exist',
    });
    expect(r.diagnostics[1]).toMatchObject({
      code: 'dangling-edge', edgeId: 'e3', nodeId: 'data', field: 'sourceHandle', message: 'dataset "data" has no output "y" (outputs: x)',
    });
  });

  it('incompatible-port: a schedule into a tensor input', () => {
    const r = withDoc((d) => {
      d.nodes.push(node('s', 'schedule'));
      d.edges[0] = edge('e1', 's', 'schedule', 'g1', 'in');
    });
    const d = only(r.diagnostics);
    expect(d).toMatchObject({ code: 'incompatible-port', edgeId: 'e1' });
    expect(d.message).toContain('a noise schedule output cannot feed a tensor input');
  });

  it('incompatible-port: an edge into an output, out of an input, and a second wire into one input', () => {
    const r = withDoc((d) => {
      d.edges.push(edge('x1', 'data', 'x', 'g1', 'out'));
      d.edges.push(edge('x2', 'g1', 'in', 'disc', 'real'));
      d.edges.push(edge('x3', 'data', 'x', 'g1', 'in'));
    });
    const ds = r.diagnostics;
    expect(ds.map((d) => [d.code, d.edgeId])).toEqual([
      ['incompatible-port', 'x1'],
      ['incompatible-port', 'x2'],
      ['incompatible-port', 'x3'],
    ]);
    expect(ds[0].message).toContain('"out" is an output of dense "g1"');
    expect(ds[1].message).toContain('"in" is an input of dense "g1"');
    expect(ds[2].message).toBe('input "in" of dense "g1" already has a wire (from "z"); an input takes one wire');
  });

  it('group: parentId must name an existing group', () => {
    const r = withDoc((d) => {
      d.nodes.push(node('a', 'dense', { parentId: 'nowhere' }), node('b', 'dense', { parentId: 'g1' }));
    });
    expect(r.diagnostics).toHaveLength(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'group', nodeId: 'a', field: 'parentId' });
    expect(r.diagnostics[0].message).toContain('"nowhere" names no node');
    expect(r.diagnostics[1].message).toBe('dense "b": parentId "g1" names dense "g1", which is not a group');
  });

  it('group: inner handles only for inner nodes, and no wire across the border', () => {
    const r = withDoc((d) => {
      d.edges[0] = edge('e1', 'disc', 'innerIn', 'g1', 'in');
      d.nodes.push(node('h', 'dense'));
      d.edges.push(edge('x', 'd1', 'out', 'h', 'in'));
    });
    const ds = r.diagnostics;
    expect(ds.map((d) => [d.code, d.edgeId])).toEqual([
      ['group', 'e1'],
      ['group', 'x'],
    ]);
    expect(ds[0].message).toContain('"innerIn" of group "disc" feeds only the group\'s own inner nodes');
    expect(ds[1].message).toContain('"d1" is inside group "disc" and "h" is outside it');
  });

  it('group: a group nested inside itself', () => {
    const r = withDoc((doc) => (doc.nodes[3].parentId = 'disc'));
    expect(r.doc).toBeNull();
    const d = r.diagnostics.find((x) => x.nodeId === 'disc')!;
    expect(d).toMatchObject({ code: 'group', field: 'parentId', message: 'discriminator "disc" is nested inside itself through parentId' });
  });
});

describe('parseGraph: every problem at once', () => {
  it('reports problems of different kinds in one pass', () => {
    const d = ganDoc();
    const r = load({
      ...d,
      extra: 1,
      nodes: [...d.nodes.map((n) => (n.id === 'g1' ? { ...n, params: { units: -1 } } : n)), node('z', 'noise'), node('q', 'dnse')],
      edges: [...d.edges, edge('e9', 'ghost', 'out', 'g1', 'in'), edge('e10', 'data', 'x', 'disc', 'realScore')],
      training: { ...d.training, beta1: 1 },
    });
    expect(r.doc).toBeNull();
    const got = r.diagnostics.map((x) => `${x.code}:${x.edgeId ?? x.nodeId ?? x.field}`).sort();
    expect(got).toEqual([
      'bad-param:g1',
      'dangling-edge:e9',
      'duplicate-id:z',
      'incompatible-port:e10',
      'schema:extra',
      'schema:training.beta1',
      'unknown-type:q',
    ]);
  });
});
