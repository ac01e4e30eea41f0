// One broken graph per diagnostic kind: each must be reported with the node it concerns and a
// message that says what is wrong.
import { describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compiler/compile';
import type { Diagnostic, DiagnosticCode } from '../../runtime/graph/diagnostics';
import type { GraphDocument } from '../../runtime/graph/document';
import { diffusionDoc, doc, e, ganDoc, n, vaeDoc } from './docs';

function errorsOf(d: GraphDocument): Diagnostic[] {
  const { compiled, diagnostics } = compile(d);
  compiled?.dispose();
  return diagnostics.filter((x) => x.severity === 'error');
}

/** The one error of `code`; fails listing every error when there is none. */
function only(d: GraphDocument, code: DiagnosticCode): Diagnostic {
  const errs = errorsOf(d);
  const hits = errs.filter((x) => x.code === code);
  expect(hits, JSON.stringify(errs)).toHaveLength(1);
  return hits[0];
}

describe('compiler diagnostics', () => {
  it('a valid GAN has no errors (the baseline each broken graph departs from)', () => {
    expect(errorsOf(ganDoc())).toEqual([]);
    expect(errorsOf(vaeDoc())).toEqual([]);
    expect(errorsOf(diffusionDoc())).toEqual([]);
  });

  it('unknown-type names the node and its type', () => {
    const d = ganDoc();
    d.nodes.push(n('mystery', 'warpDrive'));
    const x = only(d, 'unknown-type');
    expect(x.nodeId).toBe('mystery');
    expect(x.message).toContain('"warpDrive"');
  });

  it('bad-param names the node and the field', () => {
    const d = ganDoc();
    d.nodes.find((x) => x.id === 'g1')!.params.units = 0;
    const x = only(d, 'bad-param');
    expect(x.nodeId).toBe('g1');
    expect(x.field).toBe('units');
    expect(x.message).toMatch(/^dense "g1"/);
  });

  it('bad-param from shape inference names the field (a kernel larger than its input)', () => {
    // c1 leaves a 2×2 image (28 with kernel 15, stride 8, "valid"); c2's 15×15 kernel cannot fit it.
    const d = doc(
      [
        n('data', 'dataset', { dataset: 'mnist' }),
        n('c1', 'conv2d', { kernelSize: 15, strides: 8, padding: 'valid' }),
        n('c2', 'conv2d', { kernelSize: 15, padding: 'valid' }),
        n('f', 'flatten'),
        n('out', 'dense', { units: 10 }),
        n('ce', 'crossEntropy'),
      ],
      [e('data.x', 'c1.in'), e('c1.out', 'c2.in'), e('c2.out', 'f.in'), e('f.out', 'out.in'), e('out.out', 'ce.logits'), e('data.label', 'ce.target')],
    );
    const x = only(d, 'bad-param');
    expect(x.nodeId).toBe('c2');
    expect(x.field).toBe('kernelSize');
    expect(x.message).toContain('does not fit the input size 2');
  });

  it('dangling-edge: an edge to a node that does not exist', () => {
    const d = ganDoc();
    d.edges.push(e('ghost.out', 'g1.in', 'eGhost'));
    const x = errorsOf(d).find((y) => y.code === 'dangling-edge')!;
    expect(x.edgeId).toBe('eGhost');
    expect(x.message).toBe('source node "ghost" does not exist');
  });

  it('dangling-edge: an edge from a handle the node does not have', () => {
    const d = ganDoc();
    d.edges = d.edges.filter((x) => x.target !== 'g2');
    d.edges.push(e('g1.nope', 'g2.in', 'eBad'));
    const x = only(d, 'dangling-edge');
    expect(x.nodeId).toBe('g1');
    expect(x.edgeId).toBe('eBad');
    expect(x.message).toBe('dense "g1" has no output "nope" (outputs: out)');
  });

  it('incompatible-port: a noise schedule wired into a tensor input', () => {
    const d = ganDoc();
    d.nodes.push(n('sched', 'noiseSchedule'));
    d.edges = d.edges.filter((x) => x.target !== 'g1');
    d.edges.push(e('sched.schedule', 'g1.in', 'eSched'));
    const x = errorsOf(d).find((y) => y.code === 'incompatible-port')!;
    expect(x.nodeId).toBe('g1');
    expect(x.edgeId).toBe('eSched');
    expect(x.message).toBe('a noise schedule output cannot feed a tensor input: noiseSchedule "sched".schedule → dense "g1".in');
  });

  it('cycle: the wire that closes the loop is reported, naming every node on it', () => {
    const d = doc(
      [n('z', 'noise', { shape: [4] }), n('a', 'add'), n('b', 'dense', { units: 4 }), n('data', 'dataset', { dataset: 'ring' }), n('r', 'reconstruction')],
      [e('z.z', 'a.a'), e('b.out', 'a.b'), e('a.out', 'b.in', 'eBack'), e('b.out', 'r.pred'), e('data.x', 'r.target')],
    );
    const x = only(d, 'cycle');
    expect(x).toMatchObject({ edgeId: 'eBack', nodeId: 'b' });
    expect(x.message).toBe('this wire would make a cycle ("b" → "a" → "b"): data must flow one way');
  });

  it('cycle: a node wired to itself', () => {
    const d = ganDoc();
    d.edges.push(e('g2.out', 'g2.in', 'eSelf'));
    d.edges = d.edges.filter((x) => !(x.target === 'g2' && x.source === 'g1'));
    const x = only(d, 'cycle');
    expect(x.nodeId).toBe('g2');
    expect(x.message).toBe('a node cannot feed itself: dense "g2".out → dense "g2".in');
  });

  it('unconnected-input names the node and the port', () => {
    const d = ganDoc();
    d.edges = d.edges.filter((x) => !(x.target === 'D' && x.targetHandle === 'real'));
    const x = only(d, 'unconnected-input');
    expect(x.nodeId).toBe('D');
    expect(x.message).toBe('discriminator "D": input "real" is not connected');
  });

  it('shape: conv2d on flat vectors says what it expected', () => {
    const d = doc(
      [n('data', 'dataset', { dataset: 'mnist' }), n('flat', 'flatten'), n('c1', 'conv2d'), n('out', 'dense', { units: 10 }), n('ce', 'crossEntropy')],
      [e('data.x', 'flat.in'), e('flat.out', 'c1.in'), e('c1.out', 'out.in'), e('out.out', 'ce.logits'), e('data.label', 'ce.target')],
    );
    const x = only(d, 'shape');
    expect(x.nodeId).toBe('c1');
    expect(x.message).toBe('conv2d "c1" expects input [batch, height, width, channels], got [batch, 784]');
  });

  it('nothing-trainable: a loss fed only by data', () => {
    const d = doc(
      [n('data', 'dataset', { dataset: 'ring' }), n('r', 'reconstruction')],
      [e('data.x', 'r.pred'), e('data.x', 'r.target')],
    );
    const x = only(d, 'nothing-trainable');
    expect(x.nodeId).toBe('r');
    expect(x.message).toContain('reconstruction "r" has nothing to train: no network feeds it');
  });

  it('missing-part: reparameterize without a KL loss', () => {
    const x = only(vaeDoc(false), 'missing-part');
    expect(x.nodeId).toBe('z');
    expect(x.message).toMatch(/^reparameterize "z" needs a KL divergence loss/);
  });

  it('missing-part: a noise schedule that feeds nothing to diffuse', () => {
    const d = ganDoc();
    d.nodes.push(n('sched', 'noiseSchedule'));
    const x = only(d, 'missing-part');
    expect(x.nodeId).toBe('sched');
    expect(x.message).toContain('feeds no add-noise node');
  });

  it('missing-part: add-noise with nothing learning to denoise', () => {
    const d = diffusionDoc();
    d.nodes = d.nodes.filter((x) => x.id !== 'loss');
    d.nodes.push(n('loss', 'reconstruction'));
    d.edges = d.edges.filter((x) => x.target !== 'loss');
    d.edges.push(e('epsHat.out', 'loss.pred'), e('q.eps', 'loss.target'));
    const x = only(d, 'missing-part');
    expect(x.nodeId).toBe('q');
    expect(x.message).toContain('needs a noise prediction loss');
  });

  it('unwired-output: min-SNR weights that no loss reads, and none once wired', () => {
    const d = diffusionDoc();
    d.nodes.find((x) => x.id === 'q')!.params = { weighting: 'min-snr' };
    const x = only(d, 'unwired-output');
    expect(x.nodeId).toBe('q');
    expect(x.message).toMatch(/^addNoise "q" weights its loss by min-SNR, but its weight output is not wired/);
    d.edges.push(e('q.weight', 'loss.weight'));
    expect(compile(d).diagnostics.filter((y) => y.severity === 'error')).toEqual([]);
  });

  it('no-objective: a graph without a loss', () => {
    const d = ganDoc();
    d.nodes = d.nodes.filter((x) => x.id !== 'loss');
    d.edges = d.edges.filter((x) => x.target !== 'loss');
    const x = only(d, 'no-objective');
    expect(x.message).toContain('no loss node');
  });

  it('group: an edge that crosses the group boundary', () => {
    const d = ganDoc();
    d.edges = d.edges.filter((x) => x.target !== 'd1');
    d.edges.push(e('g2.out', 'd1.in', 'eCross'));
    const x = errorsOf(d).find((y) => y.code === 'group')!;
    expect(x.nodeId).toBe('d1');
    expect(x.edgeId).toBe('eCross');
    expect(x.message).toBe('"d1" is inside group "D" and "g2" is outside it; a wire crosses a group\'s border only through the group\'s ports');
  });

  it('group: inner network not wired to the group output', () => {
    const d = ganDoc();
    d.edges = d.edges.filter((x) => x.targetHandle !== 'innerOut');
    const x = only(d, 'group');
    expect(x.nodeId).toBe('D');
    expect(x.message).toBe('discriminator "D": its inner network is not wired to its output ("innerOut")');
  });

  it('group: a node whose parent is not a group, and a non-layer inside a group', () => {
    const d = ganDoc();
    d.nodes.find((x) => x.id === 'g2')!.parentId = 'g1';
    d.nodes.find((x) => x.id === 'data')!.parentId = 'D';
    const errs = errorsOf(d).filter((x) => x.code === 'group');
    const g2 = errs.find((x) => x.nodeId === 'g2' && x.message.includes('which is not a group'));
    const data = errs.find((x) => x.nodeId === 'data' && x.message.includes('only layer nodes can'));
    expect(g2, JSON.stringify(errs)).toBeDefined();
    expect(data, JSON.stringify(errs)).toBeDefined();
  });
});
