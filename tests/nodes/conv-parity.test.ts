// A small conv net assembled from node definitions computes exactly what the same net written by
// hand with tf.layers computes, given the same weights; and activations match their formulas.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import type { Shape, ShapeMap } from '../../nodes/types';
import { buildAlone, countWeights, setRandomWeights, testContext } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Step {
  id: string;
  type: string;
  params: Record<string, unknown>;
  /** input port → producing node id (its `out`); 'x' is the network input. */
  from: Record<string, string>;
}

/** Builds a network from node definitions the way the compiler does: infer, then build, in order. */
function assemble(steps: Step[], inputShape: Shape) {
  const x = tf.input({ shape: inputShape.slice(1) as number[] });
  const sym: Record<string, tf.SymbolicTensor> = { x };
  const shapes: Record<string, Shape> = { x: inputShape };
  let params = 0;
  for (const s of steps) {
    const def = getNodeDef(s.type)!;
    const { params: p, problems } = resolveParams(def, s.params);
    expect(problems).toEqual([]);
    const inShapes: ShapeMap = Object.fromEntries(Object.entries(s.from).map(([port, src]) => [port, shapes[src]]));
    shapes[s.id] = def.inferShapes(inShapes, p).out;
    params += def.countParams?.(inShapes, p) ?? 0;
    const ins = Object.fromEntries(Object.entries(s.from).map(([port, src]) => [port, sym[src]]));
    sym[s.id] = def.build!(p, inShapes, testContext(s.id))(ins).out;
    expect(sym[s.id].shape).toEqual(shapes[s.id]);
  }
  const last = steps[steps.length - 1].id;
  return { model: tf.model({ inputs: x, outputs: sym[last] }), shape: shapes[last], params };
}

describe('compiled conv net equals a hand-written tfjs model', () => {
  it('conv, batch norm, leaky relu, pooling, residual add, concat, transpose conv, upsample, dense', () => {
    const before = tf.memory().numTensors;
    const steps: Step[] = [
      { id: 'c1', type: 'conv2d', params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, from: { in: 'x' } },
      { id: 'bn', type: 'batchNorm', params: { momentum: 0.9 }, from: { in: 'c1' } },
      { id: 'a1', type: 'activation', params: { activation: 'leakyRelu', alpha: 0.1 }, from: { in: 'bn' } },
      { id: 'c2', type: 'conv2d', params: { filters: 4, kernelSize: 3, activation: 'gelu' }, from: { in: 'a1' } },
      { id: 'sum', type: 'add', params: {}, from: { a: 'a1', b: 'c2' } },
      { id: 'cat', type: 'concat', params: {}, from: { a: 'sum', b: 'c2' } },
      { id: 'p', type: 'pooling', params: { mode: 'average', poolSize: 2, strides: 2 }, from: { in: 'cat' } },
      { id: 't', type: 'conv2dTranspose', params: { filters: 3, kernelSize: 3, strides: 2, padding: 'valid', activation: 'silu' }, from: { in: 'p' } },
      { id: 'u', type: 'upsample', params: { factor: 2, interpolation: 'bilinear' }, from: { in: 't' } },
      { id: 'ln', type: 'layerNorm', params: {}, from: { in: 'u' } },
      { id: 'd', type: 'dropout', params: { rate: 0.3 }, from: { in: 'ln' } },
      { id: 'f', type: 'flatten', params: {}, from: { in: 'd' } },
      { id: 'r', type: 'reshape', params: { targetShape: [10, 30] }, from: { in: 'f' } },
      { id: 'out', type: 'dense', params: { units: 2, activation: 'tanh' }, from: { in: 'r' } },
    ];
    const compiled = assemble(steps, [null, 8, 8, 2]);
    expect(compiled.shape).toEqual([null, 10, 2]);

    // The same network, written directly against tf.layers.
    const x = tf.input({ shape: [8, 8, 2] });
    const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ momentum: 0.9 }).apply(c1) as tf.SymbolicTensor;
    const a1 = tf.layers.leakyReLU({ alpha: 0.1 }).apply(bn) as tf.SymbolicTensor;
    const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'gelu' }).apply(a1) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a1, c2]) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate().apply([sum, c2]) as tf.SymbolicTensor;
    const p = tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }).apply(cat) as tf.SymbolicTensor;
    const t = tf.layers
      .conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'valid', activation: 'swish' })
      .apply(p) as tf.SymbolicTensor;
    const u = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(t) as tf.SymbolicTensor;
    const ln = tf.layers.layerNormalization().apply(u) as tf.SymbolicTensor;
    const d = tf.layers.dropout({ rate: 0.3 }).apply(ln) as tf.SymbolicTensor;
    const f = tf.layers.flatten().apply(d) as tf.SymbolicTensor;
    const r = tf.layers.reshape({ targetShape: [10, 30] }).apply(f) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, activation: 'tanh' }).apply(r) as tf.SymbolicTensor;
    const manual = tf.model({ inputs: x, outputs: out });

    expect(compiled.params).toBe(countWeights(manual.trainableWeights));

    // Random weights, copied to the hand-written model in layer order.
    setRandomWeights(compiled.model, 50);
    const weights = compiled.model.getWeights();
    manual.setWeights(weights);

    const input = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 3);
    const a = compiled.model.predict(input) as tf.Tensor;
    const b = manual.predict(input) as tf.Tensor;
    expect(a.shape).toEqual([2, 10, 2]);
    // Equal up to float rounding: a fused relu rounds once less than a separate activation layer.
    const got = a.dataSync();
    const want = b.dataSync();
    expect(got.length).toBe(want.length);
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-5);
    // Not a trivially constant output.
    expect(new Set(Array.from(a.dataSync()).map((v) => v.toFixed(4))).size).toBeGreaterThan(4);

    // In training mode the batch statistics and dropout are used; both models stay finite and shaped.
    const trained = tf.tidy(() => (compiled.model.apply(input, { training: true }) as tf.Tensor).shape);
    expect(trained).toEqual([2, 10, 2]);

    tf.dispose([input, a, b]);
    compiled.model.dispose();
    manual.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the activation node matches each formula', () => {
  const xs = [-3, -1, -0.25, 0, 0.5, 2];
  const erf = (v: number) => {
    // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7: enough to check tf's erf-based gelu.
    const s = Math.sign(v);
    const t = 1 / (1 + 0.3275911 * Math.abs(v));
    const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
    return s * y;
  };
  const formulas: Record<string, (v: number) => number> = {
    relu: (v) => Math.max(0, v),
    leakyRelu: (v) => (v > 0 ? v : 0.3 * v),
    gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    silu: (v) => v / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  };
  for (const [name, fn] of Object.entries(formulas)) {
    it(name, () => {
      const def = getNodeDef('activation')!;
      const { params } = resolveParams(def, { activation: name, alpha: 0.3 });
      const { model } = buildAlone(def, params, { in: [null, xs.length] }, `act_${name}`);
      const y = tf.tidy(() => Array.from((model.predict(tf.tensor2d([xs])) as tf.Tensor).dataSync()));
      y.forEach((v, i) => expect(v).toBeCloseTo(fn(xs[i]), 5));
      model.dispose();
    });
  }
});
