import { describe, expect, it } from 'vitest';
import { canConnect } from '../../runtime/graph/wiring';
import { parseGraph } from '../../runtime/graph/load';
import type { GraphDocument } from '../../runtime/graph/document';
import { edge, fakeRegistry, fakeOpts, ganDoc, node } from './fixtures';

const wire = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ source, sourceHandle, target, targetHandle });

function docWith(f: (d: GraphDocument) => void): GraphDocument {
  const d = ganDoc();
  f(d);
  return d;
}

describe('canConnect', () => {
  it('allows a wire between free ports of the same kind', () => {
    const d = docWith((doc) => doc.nodes.push(node('h', 'dense')));
    expect(canConnect(d, wire('g1', 'out', 'h', 'in'), fakeRegistry)).toBeNull();
  });

  it('says which handle is unknown', () => {
    const d = ganDoc();
    expect(canConnect(d, wire('g1', 'nope', 'disc', 'real'), fakeRegistry)).toBe('dense "g1" has no output "nope"');
    expect(canConnect(d, wire('g1', 'in', 'disc', 'real'), fakeRegistry)).toContain('"in" is an input of "g1"');
    expect(canConnect(d, wire('z', 'z', 'g1', 'out'), fakeRegistry)).toContain('"out" is an output of "g1"');
  });

  it('refuses a schedule into a tensor input', () => {
    const d = docWith((doc) => doc.nodes.push(node('s', 'schedule'), node('h', 'dense')));
    expect(canConnect(d, wire('s', 'schedule', 'h', 'in'), fakeRegistry)).toBe('a noise schedule output cannot feed a tensor input');
    expect(canConnect(d, wire('g1', 'out', 'h', 'in'), fakeRegistry)).toBeNull();
  });

  it('refuses a self loop and a cycle', () => {
    const d = docWith((doc) => doc.nodes.push(node('h', 'dense')));
    expect(canConnect(d, wire('g1', 'out', 'g1', 'in'), fakeRegistry)).toBe('a node cannot feed itself');
    d.edges.push(edge('e6', 'g1', 'out', 'h', 'in'));
    d.nodes.push(node('k', 'dense'));
    d.edges.push(edge('e7', 'h', 'out', 'k', 'in'));
    d.edges = d.edges.filter((e) => e.id !== 'e1');
    expect(canConnect(d, wire('k', 'out', 'g1', 'in'), fakeRegistry)).toBe('this wire would make a cycle: "g1" already feeds "k"');
  });

  it('one wire per input', () => {
    const d = docWith((doc) => doc.nodes.push(node('z2', 'noise')));
    expect(canConnect(d, wire('z2', 'z', 'g1', 'in'), fakeRegistry)).toContain('input "in" of "g1" already has a wire (from "z")');
  });

  it("a group's inner handles serve only its inner nodes, and its inner loop is not a cycle", () => {
    const d = docWith((doc) => {
      doc.edges = doc.edges.filter((e) => e.id !== 'e5');
      doc.nodes.push(node('h', 'dense'));
    });
    // innerIn → d1 exists; closing d1 → innerOut is fine even though both ends are the group node.
    expect(canConnect(d, wire('d1', 'out', 'disc', 'innerOut'), fakeRegistry)).toBeNull();
    expect(canConnect(d, wire('h', 'out', 'disc', 'innerOut'), fakeRegistry)).toContain('takes only a wire from the group\'s own inner nodes');
    expect(canConnect(d, wire('disc', 'innerIn', 'h', 'in'), fakeRegistry)).toContain('feeds only the group\'s own inner nodes');
  });

  it('an inner node cannot wire to a node outside its group', () => {
    const d = docWith((doc) => doc.nodes.push(node('h', 'dense'), node('d2', 'dense', { parentId: 'disc' })));
    expect(canConnect(d, wire('d1', 'out', 'h', 'in'), fakeRegistry)).toBe(
      '"d1" is inside group "disc" and "h" is outside it; a wire crosses a group\'s border only through the group\'s ports',
    );
    expect(canConnect(d, wire('z', 'z', 'd2', 'in'), fakeRegistry)).toContain('"d2" is inside group "disc"');
    expect(canConnect(d, wire('d1', 'out', 'disc', 'fake'), fakeRegistry)).not.toBeNull();
    expect(canConnect(d, wire('d1', 'out', 'd2', 'in'), fakeRegistry)).toBeNull();
  });

  it('agrees with the loader: every wire it allows loads cleanly', () => {
    const d = docWith((doc) => {
      doc.edges = doc.edges.filter((e) => e.id !== 'e5');
      doc.nodes.push(node('h', 'dense'));
    });
    const tries = [wire('d1', 'out', 'disc', 'innerOut'), wire('disc', 'realScore', 'h', 'in'), wire('d1', 'out', 'h', 'in')];
    for (const t of tries) {
      const ok = canConnect(d, t, fakeRegistry) === null;
      const loaded = parseGraph({ ...d, edges: [...d.edges, { id: 'new', ...t }] }, fakeOpts);
      expect(loaded.doc !== null).toBe(ok);
    }
  });
});
