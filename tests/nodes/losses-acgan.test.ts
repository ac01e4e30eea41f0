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

describe('adversarial loss: a discriminator that classifies its label (AC-GAN)', () => {
  const real = tf.tensor2d(realOut);
  const fake = tf.tensor2d(fakeOut);
  const labels = tf.oneHot(tf.tensor1d(classIds, 'int32'), K).toFloat();
  // The group's network is the identity here: the "inputs" are already its outputs.
  const ctx = contextWith((x) => x, real, fake, labels, 'classify');
  const logits = (rows: number[][]) => rows.map((r) => r.slice(1));
  const ceReal = crossEntropy(logits(realOut), classIds);
  const ceFake = crossEntropy(logits(fakeOut), classIds);
  const bceD = realOut.reduce((s, r) => s + softplus(-r[0]), 0) / N + fakeOut.reduce((s, r) => s + softplus(r[0]), 0) / N;
  const nsG = fakeOut.reduce((s, r) => s + softplus(-r[0]), 0) / N;

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
  const real = tf.tensor2d(realOut);
  const fake = tf.tensor2d(fakeOut);
  const labels = tf.oneHot(tf.tensor1d(classIds, 'int32'), K).toFloat();
  const ctx = contextWith((x) => x, real, fake, labels, 'classifyReal');
  const ceReal = crossEntropy(realOut.map((r) => r.slice(1)), classIds);
  const bceD = realOut.reduce((s, r) => s + softplus(-r[0]), 0) / N + fakeOut.reduce((s, r) => s + softplus(r[0]), 0) / N;
  const nsG = fakeOut.reduce((s, r) => s + softplus(-r[0]), 0) / N;

  it('names the class of real data alone for the discriminator', () => {
    for (const w of [0, 1, 2.5]) expect(objective({ classWeight: w }, 'discriminator').loss(ctx).dataSync()[0]).toBeCloseTo(bceD + w * ceReal, 5);
  });

  it('gives the generator, which is asked for no class, the score alone', () => {
    expect(objective({ classWeight: 3 }, 'generator').loss(ctx).dataSync()[0]).toBeCloseTo(nsG, 5);
  });
});

describe('adversarial loss: an InfoGAN recognition head (label use classifyFake)', () => {
  const real = tf.tensor2d(realOut);
  const fake = tf.tensor2d(fakeOut);
  const codes = tf.oneHot(tf.tensor1d(classIds, 'int32'), K).toFloat();
  const ctx = contextWith((x) => x, real, fake, codes, 'classifyFake');
  const ceFake = crossEntropy(fakeOut.map((r) => r.slice(1)), classIds);
  const bceD = realOut.reduce((s, r) => s + softplus(-r[0]), 0) / N + fakeOut.reduce((s, r) => s + softplus(r[0]), 0) / N;
  const nsG = fakeOut.reduce((s, r) => s + softplus(-r[0]), 0) / N;

  it('asks the discriminator to recover the code of generated data alone: real data has none', () => {
    for (const w of [0, 1, 2.5]) expect(objective({ classWeight: w }, 'discriminator').loss(ctx).dataSync()[0]).toBeCloseTo(bceD + w * ceFake, 5);
  });

  it('asks the generator to draw so that the code can be recovered', () => {
    for (const w of [0, 1.5]) expect(objective({ classWeight: w }, 'generator').loss(ctx).dataSync()[0]).toBeCloseTo(nsG + w * ceFake, 5);
  });
});

describe('a DCGAN with a semi-supervised discriminator', () => {
  const semi = () => {
    const doc = parseGraph(readFileSync(new URL('../../examples/dcgan-mnist.json', import.meta.url), 'utf8')).doc!;
    doc.nodes.find((n) => n.id === 'D')!.params.labelUse = 'classifyReal';
    doc.nodes.find((n) => n.id === 'd4')!.params.units = 11;
    doc.edges.push({ id: 'eyd', source: 'data', sourceHandle: 'label', target: 'D', targetHandle: 'label' });
    return doc;
  };

  it('compiles, and samples unconditionally: no class is asked of the generator', () => {
    const { compiled, diagnostics } = compile(semi());
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled!.sampling?.settings.classes).toBeUndefined();
    compiled!.dispose();
    const conditional = semi();
    conditional.nodes.find((n) => n.id === 'D')!.params.labelUse = 'classify';
    const c = compile(conditional);
    // The same wiring as an AC-GAN would sample one row per class (its generator ignores the label, but is asked).
    expect(c.compiled!.sampling?.settings.classes).toBe(10);
    c.compiled!.dispose();
  });
});

describe('a DCGAN with an InfoGAN code', () => {
  const info = () => {
    const doc = parseGraph(readFileSync(new URL('../../examples/dcgan-mnist.json', import.meta.url), 'utf8')).doc!;
    doc.nodes.find((n) => n.id === 'D')!.params.labelUse = 'classifyFake';
    doc.nodes.find((n) => n.id === 'd4')!.params.units = 11;
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
    return doc;
  };

  it('compiles, and samples with codes drawn at random, as in training: no class is asked for', () => {
    const { compiled, diagnostics } = compile(info());
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled!.sampling?.settings.classes).toBeUndefined();
    compiled!.dispose();
  });
});
