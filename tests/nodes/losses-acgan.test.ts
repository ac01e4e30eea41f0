// The adversarial loss with a discriminator group that classifies its label (AC-GAN): the score is
// the network's first number, the class cross-entropy on the rest is added for the discriminator on
// real and generated data and for the generator on generated data, a width that does not split is
// refused, and a penalty differentiates the score alone.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { adversarial } from '../../nodes/losses';
import { compile } from '../../runtime/compiler/compile';
import { parseGraph } from '../../runtime/graph/load';
import { resolveParams } from '../../nodes/params';
import type { DataBatcher, GroupHandle, ObjectiveDef, RunContext } from '../../nodes/types';
import type { GraphDocument } from '../../runtime/graph/document';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 5;
const K = 3;

function objective(params: Record<string, unknown>, role: 'discriminator' | 'generator'): ObjectiveDef {
  const { params: p, problems } = resolveParams(adversarial, params);
  expect(problems).toEqual([]);
  return adversarial.objectives!(p as never).find((o) => o.trains !== 'upstream' && o.trains.role === role)!;
}

/** Scores [N, 1 + K] coming out of a group with label use `labelUse`, on fixed real and fake inputs. */
function contextWith(net: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, labels: tf.Tensor, labelUse: string): RunContext {
  const group: GroupHandle = {
    params: { labelUse },
    input: (port) => (port === 'real' ? real : port === 'fake' ? fake : labels),
    apply: net,
  };
  return {
    nodeId: 'loss', params: {}, mode: 'train', batchSize: N, step: 0,
    input: (port) => net(port === 'real' ? real : fake),
    value: () => { throw new Error('no values'); },
    has: () => true,
    seed: () => 3,
    data: {} as DataBatcher,
    groupBehind: () => group,
    reference: () => { throw new Error('no reference networks here'); },
    rerun: () => { throw new Error('no graph to rerun here'); },
    sample: () => { throw new Error('no sampler here'); },
  };
}

/** −(1/N)·Σ log softmax(logits)[label], written out per row. */
function crossEntropy(logits: number[][], labels: number[]): number {
  let total = 0;
  logits.forEach((row, i) => {
    const max = Math.max(...row);
    const logSum = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    total += logSum - row[labels[i]];
  });
  return total / logits.length;
}
const softplus = (v: number) => Math.log1p(Math.exp(v));

const realOut = [[0.5, 2, -1, 0], [-0.3, 0, 1, 0.2], [1.2, -1, -1, 3], [0, 0.4, 0.1, -0.7], [2, 1, 1, 1]];
const fakeOut = [[-1, 0.3, 0.3, 0.3], [0.2, -2, 1, 0], [0.7, 0, 0, 0], [-0.4, 1, 2, 3], [1, -1, 0.5, 0]];
const classIds = [1, 2, 0, 2, 1];

// The closed forms on the fixed outputs: the class cross-entropy of each side's logits, the
// discriminator's log-loss and the generator's non-saturating loss on each side's first number.
const ceReal = crossEntropy(realOut.map((r) => r.slice(1)), classIds);
const ceFake = crossEntropy(fakeOut.map((r) => r.slice(1)), classIds);
const bceD = realOut.reduce((s, r) => s + softplus(-r[0]), 0) / N + fakeOut.reduce((s, r) => s + softplus(r[0]), 0) / N;
const nsG = fakeOut.reduce((s, r) => s + softplus(-r[0]), 0) / N;

/** A group with label use `labelUse` whose network is the identity: the "inputs" are already its outputs. */
function fixedOutputs(labelUse: string) {
  const real = tf.tensor2d(realOut);
  const fake = tf.tensor2d(fakeOut);
  const labels = tf.oneHot(tf.tensor1d(classIds, 'int32'), K).toFloat();
  return { real, fake, labels, ctx: contextWith((x) => x, real, fake, labels, labelUse) };
}

describe('adversarial loss: a discriminator that classifies its label (AC-GAN)', () => {
  const { real, fake, labels, ctx } = fixedOutputs('classify');

  it('adds the class cross-entropy on real and fake to the discriminator loss, scored on the first number', () => {
    for (const w of [0, 0.5, 1, 2]) {
      const d = objective({ classWeight: w }, 'discriminator').loss(ctx).dataSync()[0];
      expect(d).toBeCloseTo(bceD + w * (ceReal + ceFake), 5);
    }
  });

  it('adds the class cross-entropy on fake to the generator loss', () => {
    for (const w of [0, 1, 3]) {
      const g = objective({ classWeight: w }, 'generator').loss(ctx).dataSync()[0];
      expect(g).toBeCloseTo(nsG + w * ceFake, 5);
    }
  });

  it('works with every variant: hinge scores the first number too', () => {
    const hingeD = realOut.reduce((s, r) => s + Math.max(0, 1 - r[0]), 0) / N + fakeOut.reduce((s, r) => s + Math.max(0, 1 + r[0]), 0) / N;
    const d = objective({ variant: 'hinge' }, 'discriminator').loss(ctx).dataSync()[0];
    expect(d).toBeCloseTo(hingeD + ceReal + ceFake, 5);
  });

  it('refuses a network whose output does not split into a score and one logit per class', () => {
    const narrow = contextWith((x) => tf.slice(x, [0, 0], [-1, 1]), real, fake, labels, 'classify');
    expect(() => objective({}, 'discriminator').loss(narrow)).toThrow(/must end in 4 numbers per example \(the score, then one logit per class\)/);
  });

  it('leaves a group that joins its label alone: no class term', () => {
    const score = tf.tensor2d(realOut.map((r) => [r[0]]));
    const fakeScore = tf.tensor2d(fakeOut.map((r) => [r[0]]));
    const joined = contextWith((x) => x, score, fakeScore, labels, 'join');
    expect(objective({ classWeight: 5 }, 'discriminator').loss(joined).dataSync()[0]).toBeCloseTo(bceD, 5);
    tf.dispose([score, fakeScore]);
  });

  it('differentiates the score alone for the R1 penalty, not the class logits', () => {
    // D(x) = [w·x, c·x, 0, 0]: the penalty sees ‖w‖², whatever the class rows are.
    const w = tf.tensor2d([[1, 5, 0, 0], [-2, 5, 0, 0]]);
    const net = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
    const pts = tf.randomNormal([N, 2], 0, 1, 'float32', 4);
    const pctx = contextWith(net, pts, pts, labels, 'classify');
    const plain = objective({}, 'discriminator').loss(pctx).dataSync()[0];
    const withR1 = objective({ r1Weight: 2 }, 'discriminator').loss(pctx).dataSync()[0];
    expect(withR1 - plain).toBeCloseTo((2 / 2) * (1 + 4), 4);
    tf.dispose([w, pts]);
  });
});

describe('a discriminator group that classifies its label', () => {
  const cgan = () => parseGraph(readFileSync(new URL('../../examples/cgan-mnist.json', import.meta.url), 'utf8')).doc!;
  const errorsOf = (edit: (doc: ReturnType<typeof cgan>) => void) => {
    const doc = cgan();
    const group = doc.nodes.find((n) => n.id === 'D')!;
    group.params = { ...group.params, labelUse: 'classify' };
    doc.nodes.find((n) => n.id === 'd4')!.params.units = 11;
    edit(doc);
    const { compiled, diagnostics } = compile(doc);
    compiled?.dispose();
    return diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  };

  it('compiles with a network that ends in 1 + 10 numbers and does not see the label', () => {
    expect(errorsOf(() => {})).toEqual([]);
  });

  it('names the missing label input', () => {
    expect(errorsOf((doc) => { doc.edges = doc.edges.filter((e) => e.id !== 'eyd'); }).join('\n')).toMatch(/classifies its label, so its "label" input must be connected/);
  });

  it('refuses packing, which leaves a pack with no one class', () => {
    expect(errorsOf((doc) => { doc.nodes.find((n) => n.id === 'D')!.params.pack = 2; }).join('\n')).toMatch(/cannot both classify its label and pack examples/);
  });
});

describe('adversarial loss: a semi-supervised discriminator (label use classifyReal)', () => {
  const { ctx } = fixedOutputs('classifyReal');

  it('names the class of real data alone for the discriminator', () => {
    for (const w of [0, 1, 2.5]) expect(objective({ classWeight: w }, 'discriminator').loss(ctx).dataSync()[0]).toBeCloseTo(bceD + w * ceReal, 5);
  });

  it('gives the generator, which is asked for no class, the score alone', () => {
    expect(objective({ classWeight: 3 }, 'generator').loss(ctx).dataSync()[0]).toBeCloseTo(nsG, 5);
  });
});

describe('adversarial loss: an InfoGAN recognition head (label use classifyFake)', () => {
  const { ctx } = fixedOutputs('classifyFake');

  it('asks the discriminator to recover the code of generated data alone: real data has none', () => {
    for (const w of [0, 1, 2.5]) expect(objective({ classWeight: w }, 'discriminator').loss(ctx).dataSync()[0]).toBeCloseTo(bceD + w * ceFake, 5);
  });

  it('asks the generator to draw so that the code can be recovered', () => {
    for (const w of [0, 1.5]) expect(objective({ classWeight: w }, 'generator').loss(ctx).dataSync()[0]).toBeCloseTo(nsG + w * ceFake, 5);
  });
});

/** The DCGAN example with a class head (11 numbers out) and label use `labelUse`, then `wire`'s edges. */
function dcganWith(labelUse: string, wire: (doc: GraphDocument) => void): GraphDocument {
  const doc = parseGraph(readFileSync(new URL('../../examples/dcgan-mnist.json', import.meta.url), 'utf8')).doc!;
  doc.nodes.find((n) => n.id === 'D')!.params.labelUse = labelUse;
  doc.nodes.find((n) => n.id === 'd4')!.params.units = 11;
  wire(doc);
  return doc;
}

/** Compiles `doc` and returns its errors and its sampler's class count, disposing the networks. */
function samplingClasses(doc: GraphDocument) {
  const { compiled, diagnostics } = compile(doc);
  compiled?.dispose();
  return { errors: diagnostics.filter((d) => d.severity === 'error'), classes: compiled?.sampling?.settings.classes };
}

describe('a DCGAN with a semi-supervised discriminator', () => {
  const dataLabels = (doc: GraphDocument) => doc.edges.push({ id: 'eyd', source: 'data', sourceHandle: 'label', target: 'D', targetHandle: 'label' });

  it('compiles, and samples unconditionally: no class is asked of the generator', () => {
    expect(samplingClasses(dcganWith('classifyReal', dataLabels))).toEqual({ errors: [], classes: undefined });
    // The same wiring as an AC-GAN would sample one row per class (its generator ignores the label, but is asked).
    expect(samplingClasses(dcganWith('classify', dataLabels)).classes).toBe(10);
  });
});

describe('a DCGAN with an InfoGAN code', () => {
  const code = (doc: GraphDocument) => {
    doc.nodes.push(
      { id: 'c', type: 'noise', position: { x: 0, y: 0 }, params: { shape: [10], distribution: 'categorical' } },
      { id: 'zc', type: 'concat', position: { x: 0, y: 0 }, params: {} },
    );
    doc.edges = doc.edges.filter((e) => e.target !== 'g1');
    doc.edges.push(
      { id: 'z-zc', source: 'z', sourceHandle: 'z', target: 'zc', targetHandle: 'a' },
      { id: 'c-zc', source: 'c', sourceHandle: 'z', target: 'zc', targetHandle: 'b' },
      { id: 'zc-g1', source: 'zc', sourceHandle: 'out', target: 'g1', targetHandle: 'in' },
      { id: 'c-D', source: 'c', sourceHandle: 'z', target: 'D', targetHandle: 'label' },
    );
  };

  it('compiles, and samples with codes drawn at random, as in training: no class is asked for', () => {
    expect(samplingClasses(dcganWith('classifyFake', code))).toEqual({ errors: [], classes: undefined });
    // Read as an AC-GAN, the same wiring would ask the code for one class a row.
    expect(samplingClasses(dcganWith('classify', code)).classes).toBe(10);
  });
});
