// The compiler end to end: every shipped example compiles; a compiled network is the same model a
// person would write by hand in tfjs; networks are named by their role; the training plan gives
// each adversarial objective exactly its own network's variables.
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompiledGraph } from '../../runtime/compiler/compile';
import { parseGraph } from '../../runtime/graph/load';
import { makePhaseStates } from '../../runtime/train/step';
import type { GraphDocument } from '../../runtime/graph/document';
import { diffusionDoc, doc, e, ganDoc, n, vaeDoc } from './docs';

const EXAMPLES = join(import.meta.dirname, '../../examples');

function mustCompile(d: GraphDocument): CompiledGraph {
  const { compiled, diagnostics } = compile(d);
  expect(diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  return compiled!;
}

/** Deterministic weights of the given shapes, different for every tensor. */
function seededWeights(shapes: number[][]): tf.Tensor[] {
  return shapes.map((s, i) => tf.randomNormal(s, 0, 0.5, 'float32', 100 + i));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('examples', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
  it('there are examples to check', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`${f} loads and compiles without errors`, () => {
      const parsed = parseGraph(readFileSync(join(EXAMPLES, f), 'utf8'));
      expect(parsed.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      const before = tf.memory().numTensors;
      const compiled = mustCompile(parsed.doc!);
      expect(compiled.networks.length).toBeGreaterThan(0);
      expect(compiled.phases.length).toBeGreaterThan(0);
      compiled.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('a compiled network equals the hand-written tfjs model', () => {
  it('MLP generator: same parameter count and output for the same weights', () => {
    const g = mustCompile(ganDoc());
    const gen = g.networks.find((x) => x.role === 'generator')!.model;
    const hand = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2 })],
    });
    expect(gen.countParams()).toBe(hand.countParams());
    expect(gen.countParams()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    const w = seededWeights(hand.getWeights().map((x) => x.shape));
    hand.setWeights(w);
    gen.setWeights(w);
    const z = tf.randomNormal([5, 4], 0, 1, 'float32', 7);
    const a = (gen.predict(z) as tf.Tensor).arraySync() as number[][];
    const b = (hand.predict(z) as tf.Tensor).arraySync() as number[][];
    expect(a.flat().some((v) => v !== 0)).toBe(true);
    a.flat().forEach((v, i) => expect(v).toBeCloseTo(b.flat()[i], 5));
    tf.dispose([z, ...w]);
    hand.dispose();
    g.dispose();
  });

  it('conv classifier: same parameter count and output for the same weights', () => {
    const d = doc(
      [
        n('data', 'dataset', { dataset: 'mnist' }),
        n('c1', 'conv2d', { filters: 4, kernelSize: 3, strides: 2, activation: 'leakyRelu' }),
        n('c2', 'conv2d', { filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
        n('flat', 'flatten'),
        n('out', 'dense', { units: 10 }),
        n('ce', 'crossEntropy'),
      ],
      [e('data.x', 'c1.in'), e('c1.out', 'c2.in'), e('c2.out', 'flat.in'), e('flat.out', 'out.in'), e('out.out', 'ce.logits'), e('data.label', 'ce.target')],
    );
    const g = mustCompile(d);
    expect(g.networks).toHaveLength(1);
    const model = g.networks[0].model;
    const hand = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10 }),
      ],
    });
    expect(model.countParams()).toBe(hand.countParams());
    expect(model.outputs[0].shape).toEqual(hand.outputs[0].shape);
    const w = seededWeights(hand.getWeights().map((x) => x.shape));
    hand.setWeights(w);
    model.setWeights(w);
    const x = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 9);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (hand.predict(x) as tf.Tensor).dataSync();
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    tf.dispose([x, ...w]);
    hand.dispose();
    g.dispose();
  });
});

describe('partition names networks by role', () => {
  const roles = (d: GraphDocument) => {
    const g = mustCompile(d);
    const out = Object.fromEntries(g.networks.map((x) => [x.name, x.nodeIds]));
    g.dispose();
    return out;
  };
  it('GAN: generator and discriminator', () => {
    expect(roles(ganDoc())).toEqual({ generator: ['g1', 'g2'], discriminator: ['d1', 'd2'] });
  });
  it('VAE: encoder and decoder', () => {
    expect(roles(vaeDoc())).toEqual({ encoder: ['enc', 'mean', 'logvar'], decoder: ['dec'] });
  });
  it('diffusion: denoiser', () => {
    expect(roles(diffusionDoc())).toEqual({ denoiser: ['cat', 'h', 'epsHat'] });
  });
});

describe('training plan', () => {
  const ids = (vs: tf.Variable[]) => new Set(vs.map((v) => v.id));

  it('the discriminator objective trains only D, the generator objective only G', () => {
    const g = mustCompile(ganDoc());
    const states = makePhaseStates(g);
    const critic = states.find((s) => s.phase.name === 'critic')!;
    const main = states.find((s) => s.phase.name === 'main')!;
    expect(critic.phase.objectives.map((o) => o.key)).toEqual(['loss.discriminator']);
    expect(main.phase.objectives.map((o) => o.key)).toEqual(['loss.generator']);
    const dVars = g.networks.find((x) => x.name === 'discriminator')!.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const gVars = g.networks.find((x) => x.name === 'generator')!.model.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(critic.variables).toHaveLength(4); // d1, d2: kernel and bias each
    expect(main.variables).toHaveLength(4);
    expect(ids(critic.variables)).toEqual(ids(dVars));
    expect(ids(main.variables)).toEqual(ids(gVars));
    for (const v of critic.variables) expect(ids(main.variables).has(v.id)).toBe(false);
    states.forEach((s) => s.optimizer.dispose());
    g.dispose();
  });

  it('each adversarial phase uses the loss node\'s own learning rates', () => {
    const g = mustCompile(ganDoc({ lrD: 4e-4, lrG: 1e-4, beta1: 0.5, beta2: 0.9 }));
    const byName = Object.fromEntries(g.phases.map((p) => [p.name, p.optimizer]));
    expect(byName.critic).toEqual({ learningRate: 4e-4, beta1: 0.5, beta2: 0.9 });
    expect(byName.main).toEqual({ learningRate: 1e-4, beta1: 0.5, beta2: 0.9 });
    g.dispose();
  });

  it('a WGAN-GP graph plans a critic phase repeated 5 times before each generator step', () => {
    const g = mustCompile(ganDoc({ variant: 'wassersteinGP', criticSteps: 5 }));
    expect(g.phases.map((p) => [p.name, p.repeat])).toEqual([
      ['critic', 5],
      ['main', 1],
    ]);
    g.dispose();
  });

  it('a VAE trains encoder and decoder together in one phase', () => {
    const g = mustCompile(vaeDoc());
    expect(g.phases).toHaveLength(1);
    expect(new Set(g.phases[0].networks)).toEqual(new Set(['encoder', 'decoder']));
    g.dispose();
  });
});
