// Normalisation layers: batchNorm (statistics over the batch) and layerNorm (over each example's features).
import * as tf from '@tensorflow/tfjs';
import { NodeError, defineNode, type ShapeMap } from '../types';
import { formatShape, need } from '../shape';
import { LastAxisNorm } from './layer-norm-layer';

/** The last (feature) axis size, which both norms scale and shift per entry. */
function features(inputs: ShapeMap): number {
  const x = need(inputs, 'in');
  const last = x[x.length - 1];
  if (x.length < 2 || last === null) throw new NodeError(`expects input [batch, …, features], got ${formatShape(x)}`);
  return last;
}

/**
 * A frozen batch norm normalises with its running statistics and never updates them, as Keras does
 * for a layer with trainable = false. tfjs passes one `training` flag to every layer of a model, so
 * this layer's own call ignores it.
 */
function inferenceOnly(layer: tf.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

export const batchNorm = defineNode({
  type: 'batchNorm',
  label: 'Batch norm',
  category: 'layers',
  role: 'layer',
  doc: 'Normalises each channel (last axis) with batch statistics while training and running averages otherwise.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    momentum: { kind: 'float', default: 0.99, min: 0, max: 0.9999, step: 0.01, doc: 'How slowly the running averages follow the batch.' },
    epsilon: { kind: 'float', default: 0.001, min: 1e-8, max: 0.1, doc: 'Added to the variance for stability.' },
  },
  keyParams: ['momentum'],
  design: { bends: () => false },
  inferShapes(inputs) {
    features(inputs);
    return { out: [...need(inputs, 'in')] };
  },
  // Trainable gamma and beta only; the moving mean and variance (another 2 per channel) are not trained.
  countParams(inputs) {
    return 2 * features(inputs);
  },
  build(p, _inputs, ctx) {
    const layer = tf.layers.batchNormalization({ axis: -1, momentum: p.momentum, epsilon: p.epsilon, name: ctx.layerName() });
    if (ctx.frozen) inferenceOnly(layer);
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const layerNorm = defineNode({
  type: 'layerNorm',
  label: 'Layer norm',
  category: 'layers',
  role: 'layer',
  doc: "Normalises each example over its last axis, then scales and shifts per feature; independent of the batch.",
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    epsilon: { kind: 'float', default: 0.001, min: 1e-8, max: 0.1, doc: 'Added to the variance for stability.' },
  },
  keyParams: [],
  inferShapes(inputs) {
    features(inputs);
    return { out: [...need(inputs, 'in')] };
  },
  countParams(inputs) {
    return 2 * features(inputs);
  },
  build(p, _inputs, ctx) {
    // Our own layer: tfjs's tiles gamma and beta, and Tile's gradient costs ~1,100 kernels a norm.
    const layer = new LastAxisNorm({ epsilon: p.epsilon, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const normalizationNodes = [batchNorm, layerNorm];
