// The wiring rules are one implementation (runtime/graph/wiring.ts): every fault must get the same code
// and the same words whether the canvas refuses the wire, the loader finds it in a file or the compiler
// finds it in a document. One table, three entry points, real node types.
import { describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compiler/compile';
import type { Diagnostic, DiagnosticCode } from '../../runtime/graph/diagnostics';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph } from '../../runtime/graph/load';
import { canConnect, type Wire } from '../../runtime/graph/wiring';
import { e, ganDoc, n } from '../compiler/docs';
import { fakeRegistry, ganDoc as fakeGan, node, edge } from './fixtures';

/** The compiler tests' GAN plus free nodes to wire: a → h (a's second input free), k, and d3 inside D. */
function base(): GraphDocument {
  const d = ganDoc();
  d.nodes.push(n('sched', 'noiseSchedule'), n('a', 'add'), n('h', 'dense', { units: 2 }), n('k', 'dense', { units: 2 }));
  d.nodes.push(n('d3', 'dense', { units: 1 }, { parentId: 'D' }));
  d.edges.push(e('z.z', 'a.a'), e('a.out', 'h.in'));
  return d;
}

const w = (from: string, to: string): Wire => {
  const [source, sourceHandle] = from.split('.');
  const [target, targetHandle] = to.split('.');
  return { source, sourceHandle, target, targetHandle };
};

const FAULTS: { fault: string; wire: Wire; code: DiagnosticCode }[] = [
  { fault: 'source node does not exist', wire: w('ghost.out', 'k.in'), code: 'dangling-edge' },
  { fault: 'target node does not exist', wire: w('g2.out', 'ghost.in'), code: 'dangling-edge' },
  { fault: 'no such output', wire: w('g1.nope', 'k.in'), code: 'dangling-edge' },
  { fault: 'an input used as a wire start', wire: w('g1.in', 'k.in'), code: 'incompatible-port' },
  { fault: 'no such input', wire: w('g1.out', 'k.nope'), code: 'dangling-edge' },
  { fault: 'an output used as a wire end', wire: w('g1.out', 'k.out'), code: 'incompatible-port' },
  { fault: 'a noise schedule into a tensor input', wire: w('sched.schedule', 'k.in'), code: 'incompatible-port' },
  { fault: 'a node feeding itself', wire: w('k.out', 'k.in'), code: 'cycle' },
  { fault: 'a group feeding itself', wire: w('D.realScore', 'D.fake'), code: 'cycle' },
  { fault: 'a second wire into one input', wire: w('data.x', 'g1.in'), code: 'incompatible-port' },
  { fault: 'a wire closing a loop', wire: w('h.out', 'a.b'), code: 'cycle' },
  { fault: "a group's inner input feeding an outside node", wire: w('D.innerIn', 'k.in'), code: 'group' },
  { fault: "an outside node feeding a group's inner output", wire: w('k.out', 'D.innerOut'), code: 'group' },
  { fault: "a group's inner input feeding its inner output", wire: w('D.innerIn', 'D.innerOut'), code: 'group' },
  { fault: 'an inner node feeding an outside node', wire: w('d1.out', 'k.in'), code: 'group' },
  { fault: 'an outside node feeding an inner node', wire: w('k.out', 'd3.in'), code: 'group' },
];

const withWire = (wire: Wire): GraphDocument => {
  const d = base();
  d.edges.push({ id: 'new', ...wire });
  return d;
};
const about = (ds: Diagnostic[], edgeId: string) => ds.filter((d) => d.severity === 'error' && d.edgeId === edgeId);

function compilerSays(d: GraphDocument): Diagnostic[] {
  const { compiled, diagnostics } = compile(d);
  compiled?.dispose();
  return diagnostics;
}

describe('the wiring rules: one code and one message from the canvas, the loader and the compiler', () => {
  it('the base graph is clean for all three', () => {
    const d = base();
    expect(parseGraph(d).diagnostics).toEqual([]);
    expect(compilerSays(d).filter((x) => x.edgeId !== undefined)).toEqual([]);
  });

  it.each(FAULTS)('$fault', ({ wire, code }) => {
    const canvas = canConnect(base(), wire);
    const loader = about(parseGraph(withWire(wire)).diagnostics, 'new');
    const compiler = about(compilerSays(withWire(wire)), 'new');
    expect(canvas).not.toBeNull();
    expect(loader, JSON.stringify(loader)).toHaveLength(1);
    expect(compiler, JSON.stringify(compiler)).toHaveLength(1);
    expect(loader[0].code).toBe(code);
    expect(loader[0].message).toBe(canvas);
    expect(compiler[0]).toEqual(loader[0]);
  });

  it('every code in the table names the wire by its nodes, so the words make sense without an edge id', () => {
    for (const { wire } of FAULTS) {
      const msg = canConnect(base(), wire)!;
      expect([wire.source, wire.target].some((id) => msg.includes(`"${id}"`)), msg).toBe(true);
    }
  });

  it.each([
    ['a free input of the same kind', w('g2.out', 'k.in')],
    ['between two inner nodes of one group', w('d2.out', 'd3.in')],
    ["closing a group's inner network (not a cycle)", w('d1.out', 'D.innerOut')],
  ])('allows %s, and so do the loader and the compiler', (_what, wire) => {
    const d = base();
    if (wire.target === 'D') d.edges = d.edges.filter((x) => x.targetHandle !== 'innerOut');
    expect(canConnect(d, wire)).toBeNull();
    const withIt = { ...d, edges: [...d.edges, { id: 'new', ...wire }] };
    expect(about(parseGraph(withIt).diagnostics, 'new')).toEqual([]);
    expect(about(compilerSays(withIt), 'new')).toEqual([]);
  });

  it('a cycle names every node on the loop, in the order data would flow', () => {
    expect(canConnect(base(), w('h.out', 'a.b'))).toBe('this wire would make a cycle ("a" → "h" → "a"): data must flow one way');
  });

  it('in a file, the wire that closes a loop (in document order) is the one reported', () => {
    const d = base();
    d.edges.push({ id: 'back', ...w('h.out', 'a.b') }, { id: 'later', ...w('h.out', 'k.in') });
    const errs = parseGraph(d).diagnostics;
    expect(errs.map((x) => [x.code, x.edgeId])).toEqual([['cycle', 'back']]);
  });
});

describe('group membership: one rule for the loader and the compiler', () => {
  const cases: [string, (d: GraphDocument) => void, string][] = [
    ['a parent that does not exist', (d) => (d.nodes.find((x) => x.id === 'k')!.parentId = 'nowhere'), 'k'],
    ['a parent that is not a group', (d) => (d.nodes.find((x) => x.id === 'k')!.parentId = 'h'), 'k'],
    ['a node that is not a layer inside a group', (d) => (d.nodes.find((x) => x.id === 'sched')!.parentId = 'D'), 'sched'],
    ['a group inside itself', (d) => (d.nodes.find((x) => x.id === 'D')!.parentId = 'D'), 'D'],
  ];
  it.each(cases)('%s', (_what, change, id) => {
    const d = base();
    change(d);
    const loader = parseGraph(d).diagnostics.filter((x) => x.nodeId === id && x.field === 'parentId');
    const compiler = compilerSays(d).filter((x) => x.nodeId === id && x.field === 'parentId');
    expect(loader, JSON.stringify(parseGraph(d).diagnostics)).toHaveLength(1);
    expect(loader[0].code).toBe('group');
    expect(compiler).toEqual(loader);
  });
});

describe('canConnect, for the canvas', () => {
  it('asks for a handle before judging the wire', () => {
    expect(canConnect(fakeGan(), { source: 'g1', sourceHandle: null, target: 'disc', targetHandle: 'real' }, fakeRegistry)).toBe('pick an output of "g1"');
  });

  it('refuses to wire a node whose type it does not know', () => {
    const d = fakeGan();
    d.nodes.push(node('q', 'warpDrive'));
    expect(canConnect(d, w('q.out', 'g1.in'), fakeRegistry)).toContain('warpDrive "q"');
  });

  it("a group's inner loop is not a cycle, however it is closed", () => {
    const d = fakeGan();
    d.edges = d.edges.filter((x) => x.id !== 'e5');
    d.nodes.push(node('d2', 'dense', { parentId: 'disc' }));
    d.edges.push(edge('e6', 'd1', 'out', 'd2', 'in'));
    expect(canConnect(d, w('d2.out', 'disc.innerOut'), fakeRegistry)).toBeNull();
  });
});
