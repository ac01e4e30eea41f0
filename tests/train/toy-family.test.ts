// The family contract, from the outside: a family the runtime has never seen (an autoregressive
// model over 2-D points) is declared in this file alone, with its own objective and its own
// sampler, and the stock compiler and trainer compile, train and sample it. The same family shows
// a frozen reference copy (policy and reference evaluated in one step) and an objective that
// generates samples inside the training step.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef } from '../../nodes/registry';
import { toBatch, type SamplerDef } from '../../nodes/sampling';
import { defineNode, type AnyNodeDefinition, type RunContext } from '../../nodes/types';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

const LOG_2PI = Math.log(2 * Math.PI);

/** p(x₂ | x₁) = N(μ(x₁), σ(x₁)²); the marginal of x₁ is the data's own, so sampling draws x₁ from held-out points. */
const arSampler: SamplerDef = {
  plan(q, id) {
    const data = q.inputOf(id, 'x');
    for (const loss of q.losses()) {
      for (const port of q.inputPorts(loss)) {
        const head = q.inputOf(loss, port);
        if (data && head && head.node !== id && q.isUpstream(id, head.node))
          return { output: 'points', shape: [null, 2], refs: { data, head, x1: { node: id, port: 'x1' } }, features: [] };
      }
    }
    return null;
  },
  async sample(env, plan, req) {
    const x = arSampler.draw!(env, plan, req.count, req.seed);
    try {
      return { batch: toBatch(x, env.realPoints) };
    } finally {
      x.dispose();
    }
  },
  draw(env, plan, count, seed) {
    return tf.tidy(() => {
      const x = env.evaluate(plan.refs.data, { batchSize: count, seed });
      const x1 = tf.slice(x, [0, 0], [count, 1]); // (n, 1)
      const head = env.evaluate(plan.refs.head, { batchSize: count, seed, overrides: [[plan.refs.x1, x1]] }); // (n, 2)
      const [mu, logSigma] = tf.split(head, 2, 1);
      const x2 = tf.add(mu, tf.mul(tf.exp(logSigma), tf.randomNormal([count, 1], 0, 1, 'float32', seed + 1)));
      return tf.concat([x1, x2], 1); // (n, 2)
    });
  },
};

const firstCoord = defineNode({
  type: 'toyFirstCoord', label: 'x₁', category: 'generative', role: 'op', doc: 'The first coordinate of a point.',
  inputs: [{ id: 'x', kind: 'tensor' }], outputs: [{ id: 'x1', kind: 'tensor' }], params: {},
  networkRole: { downstream: 'conditional' },
  sampler: arSampler,
  inferShapes: () => ({ x1: [null, 1] }),
  run: (ctx) => {
    const x = ctx.input('x');
    return { x1: tf.slice(x, [0, 0], [x.shape[0], 1]) };
  },
});

const arLoss = defineNode({
  type: 'toyArLoss', label: 'AR NLL', category: 'losses', role: 'loss', doc: 'Gaussian NLL of x₂ given x₁.',
  inputs: [{ id: 'x', kind: 'tensor' }, { id: 'head', kind: 'tensor' }], outputs: [],
  params: {
    anchor: { kind: 'float', default: 0, min: 0 },
    lift: { kind: 'float', default: 0, min: 0 },
  },
  inferShapes: () => ({}),
  objectives: (p) => [
    {
      id: 'nll', phase: 'main', trains: 'upstream',
      loss: (ctx) => {
        // Inputs are read before the tidy: a value the evaluator computes on first read is shared
        // with the other objectives of the step, so no objective's tidy may own it.
        const x = ctx.input('x');
        const head = ctx.input('head');
        return tf.tidy(() => {
        const [mu, logSigma] = tf.split(head, 2, 1);
        const x2 = tf.slice(x, [0, 1], [x.shape[0], 1]);
        const z = tf.div(tf.sub(x2, mu), tf.exp(logSigma));
        return tf.mean(tf.add(tf.add(tf.mul(0.5, tf.square(z)), logSigma), 0.5 * LOG_2PI)) as tf.Scalar;
        });
      },
    },
    ...(p.anchor > 0
      ? [{
          id: 'anchor', phase: 'main' as const, trains: { role: 'conditional' }, references: ['conditional'],
          loss: (ctx: RunContext) => {
            const policy = ctx.input('head');
            const reference = ctx.reference('head'); // the same batch through the frozen copy
            return tf.tidy(() => tf.mul(p.anchor, tf.mean(tf.squaredDifference(policy, reference))) as tf.Scalar);
          },
        }]
      : []),
    ...(p.lift > 0
      ? [{
          id: 'onPolicy', phase: 'main' as const, trains: { role: 'conditional' },
          loss: (ctx: RunContext) =>
            tf.tidy(() => {
              const s = ctx.sample(32); // (32, 2), generated inside this step
              return tf.mul(-p.lift, tf.mean(tf.slice(s, [0, 1], [32, 1]))) as tf.Scalar;
            }),
        }]
      : []),
  ],
});

const TOY = new Map<string, AnyNodeDefinition>([firstCoord, arLoss].map((d) => [d.type, d]));
const registry = (type: string) => TOY.get(type) ?? getNodeDef(type);

function toyDoc(loss: Record<string, unknown> = {}, seed = 1) {
  return doc(
    [
      n('data', 'dataset', { dataset: 'moons' }),
      n('first', 'toyFirstCoord'),
      n('h1', 'dense', { units: 16, activation: 'tanh' }),
      n('h2', 'dense', { units: 2 }),
      n('loss', 'toyArLoss', loss),
    ],
    [e('data.x', 'first.x'), e('first.x1', 'h1.in'), e('h1.out', 'h2.in'), e('h2.out', 'loss.head'), e('data.x', 'loss.x')],
    { batchSize: 64, seed, steps: 10_000, sampleEvery: 0, evalEvery: 0, learningRate: 0.01 },
  );
}

async function loaded(loss: Record<string, unknown> = {}) {
  const trainer = new Trainer({ reader: nodeAssets, registry });
  const res = await trainer.load(toyDoc(loss));
  expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(res.ok).toBe(true);
  return trainer;
}

function pearson(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  a.forEach((_, i) => {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

const snapshot = (ws: tf.Tensor[]) => ws.map((w) => Array.from(w.dataSync()));

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('a family declared outside the runtime', () => {
  it('compiles, trains and samples with the stock compiler and trainer', async () => {
    const trainer = await loaded();
    const graph = trainer.compiled!;
    expect(graph.sampling?.node).toBe('first');
    expect(graph.networks.map((x) => x.name)).toEqual(['conditional']);
    const first = await trainer.step(1);
    // After the first step, so that the optimizer's slots exist.
    const before = tf.memory().numTensors;
    await trainer.step(299);
    const last = await trainer.evaluate(8);
    expect(tf.memory().numTensors).toBe(before);
    expect(last['loss.nll']).toBeLessThan(first['loss.nll'] - 0.3);
    const { batch } = await trainer.sample({ count: 2000, seed: 5 });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    // On the moons, x₂ depends on x₁: the model's conditional mean must follow it. Compare the
    // samples' x₂ against real x₂ within bins of x₁.
    const bins = (xy: Float32Array) => {
      const sums = new Float64Array(4);
      const counts = new Float64Array(4);
      for (let i = 0; i < xy.length; i += 2) {
        const b = Math.min(3, Math.max(0, Math.floor((xy[i] + 1) * 1.4)));
        sums[b] += xy[i + 1];
        counts[b]++;
      }
      return Array.from(sums, (s, i) => s / Math.max(1, counts[i]));
    };
    const fake = bins(batch.data);
    const real = bins(batch.real);
    // An untrained head gives a flat line; the real means fall by about 0.7 across the bins.
    expect(pearson(fake, real)).toBeGreaterThan(0.9);
    for (let b = 0; b < 4; b++) expect(Math.abs(fake[b] - real[b])).toBeLessThan(0.3);
    trainer.dispose();
  });
});

describe('a frozen reference copy', () => {
  it('keeps its weights byte-identical over 50 steps while the policy it was copied from changes', async () => {
    const trainer = await loaded({ anchor: 0.1 });
    const graph = trainer.compiled!;
    const policy = graph.networks.find((x) => x.name === 'conditional')!.model;
    const reference = graph.references.copies.get('conditional')!.model;
    const start = snapshot(policy.getWeights());
    // The copy starts equal to the policy, so the anchor term (policy vs reference, one step) is 0.
    expect(snapshot(reference.getWeights())).toEqual(start);
    const at0 = await trainer.step(1);
    expect(at0['loss.anchor']).toBe(0);
    await trainer.step(49);
    const after = await trainer.step(1);
    expect(after['loss.anchor']).toBeGreaterThan(0);
    expect(snapshot(reference.getWeights())).toEqual(start);
    expect(snapshot(policy.getWeights())).not.toEqual(start);
    trainer.dispose();
  });

  it('follows imported weights, which are the model a fine-tune starts from', async () => {
    const trainer = await loaded({ anchor: 0.1 });
    await trainer.step(20);
    const bundle = await trainer.exportWeights();
    const fresh = await loaded({ anchor: 0.1 });
    await fresh.importWeights(bundle);
    const graph = fresh.compiled!;
    const policy = snapshot(graph.networks[0].model.getWeights());
    expect(snapshot(graph.references.copies.get('conditional')!.model.getWeights())).toEqual(policy);
    trainer.dispose();
    fresh.dispose();
  });
});

describe('an objective that samples inside the training step', () => {
  it('moves the samples the way its gradient through them says', async () => {
    const meanX2 = async (lift: number) => {
      const trainer = await loaded({ lift });
      await trainer.step(150);
      const { batch } = await trainer.sample({ count: 1000, seed: 3 });
      trainer.dispose();
      if (batch.kind !== 'points') throw new Error('expected points');
      let s = 0;
      for (let i = 1; i < batch.data.length; i += 2) s += batch.data[i];
      return s / (batch.data.length / 2);
    };
    // Its loss is −lift·mean(x₂) of samples drawn in the step: only a gradient through those
    // samples can raise them above the data's own mean.
    const plain = await meanX2(0);
    const lifted = await meanX2(1);
    expect(lifted).toBeGreaterThan(plain + 0.5);
  });
});
