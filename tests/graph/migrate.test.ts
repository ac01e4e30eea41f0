import { describe, expect, it } from 'vitest';
import { migrate, supportedVersions, type Migration } from '../../runtime/graph/migrate';
import { parseGraph } from '../../runtime/graph/load';
import { fakeOpts, ganDoc } from './fixtures';

// A made-up version 0 in which nodes kept their settings under "config" and there was no training block.
const v0to1: Migration = {
  from: 0,
  to: 1,
  up(doc) {
    const nodes = (doc.nodes as Record<string, unknown>[]).map(({ config, ...rest }) => ({ ...rest, params: config ?? {} }));
    return { ...doc, nodes };
  },
};

function v0Doc() {
  const d = ganDoc();
  return {
    format: d.format,
    version: 0,
    name: d.name,
    nodes: d.nodes.map(({ params, ...rest }) => ({ ...rest, config: params })),
    edges: d.edges,
  };
}

describe('migrations', () => {
  it('lifts a version 0 document to version 1 and it then loads', () => {
    const old = v0Doc();
    const r = parseGraph(old, { ...fakeOpts, migrations: [v0to1] });
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.version).toBe(1);
    expect(r.doc!.nodes).toEqual(ganDoc().nodes);
    expect(old.version).toBe(0);
    expect('config' in old.nodes[0]).toBe(true);
  });

  it('without the migration, version 0 is refused', () => {
    const d = parseGraph(v0Doc(), fakeOpts).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0].message).toBe('this file is version 0 of genloom.graph; supported: 1');
  });

  it('names every version that has a path to the current one', () => {
    const v = [v0to1, { from: -1, to: 0, up: (d: Record<string, unknown>) => d }];
    expect(supportedVersions(v)).toEqual([-1, 0, 1]);
    expect(parseGraph({ ...v0Doc(), version: 5 }, { ...fakeOpts, migrations: v }).diagnostics[0].message).toContain(
      'supported: -1, 0, 1 (it was saved by a newer Genloom)',
    );
  });

  it('applies steps in order and sets the version after each', () => {
    const seen: number[] = [];
    const chain: Migration[] = [
      { from: 1, to: 2, up: (d) => (seen.push(d.version as number), d) },
      { from: 0, to: 1, up: (d) => (seen.push(d.version as number), d) },
    ];
    const r = migrate({ version: 0 }, chain, 2);
    expect(r.doc).toEqual({ version: 2 });
    expect(seen).toEqual([0, 1]);
  });

  it('reports a failing migration instead of throwing', () => {
    const bad: Migration = { from: 0, to: 1, up: () => { throw new Error('nodes missing'); } };
    const d = parseGraph(v0Doc(), { ...fakeOpts, migrations: [bad] }).diagnostics;
    expect(d[0]).toMatchObject({ code: 'format' });
    expect(d[0].message).toContain('migrating from version 0 to 1 failed: nodes missing');
  });
});
