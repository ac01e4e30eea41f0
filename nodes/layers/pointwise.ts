// Shape-preserving, weightless layers applied entry by entry: activation and dropout.
import * as tf from '@tensorflow/tfjs';
import { NodeError, defineNode, type Shape, type ShapeMap } from '../types';
import { formatShape, need } from '../shape';
import { ACTIVATIONS, activationLayer, bendsWith } from './activations';

/** Any tensor with a batch axis and at least one more passes through unchanged. */
function passThrough(inputs: ShapeMap): ShapeMap {
  const x: Shape = need(inputs, 'in');
  if (x.length < 2) throw new NodeError(`expects input [batch, …], got ${formatShape(x)}`);
  return { out: [...x] };
}

export const activation = defineNode({
  type: 'activation',
  label: 'Activation',
  category: 'layers',
  role: 'layer',
  doc: 'Applies a nonlinearity to every entry: relu, leakyRelu, gelu, silu, tanh or sigmoid.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    activation: { kind: 'enum', default: 'relu', options: ACTIVATIONS, label: 'function' },
    alpha: { kind: 'float', default: 0.2, min: 0, max: 1, step: 0.01, doc: 'leakyRelu only: the slope for negative inputs.' },
  },
  keyParams: ['activation'],
  design: { bends: (p) => bendsWith(p.activation), activationParam: 'activation' },
  inferShapes: passThrough,
  build(p, _inputs, ctx) {
    const layer = activationLayer(p.activation, ctx.layerName(), p.alpha);
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const dropout = defineNode({
  type: 'dropout',
  label: 'Dropout',
  category: 'layers',
  role: 'layer',
  doc: 'While training, zeroes each entry with probability `rate` and scales the rest by 1/(1−rate); identity otherwise.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    rate: { kind: 'float', default: 0.1, min: 0, max: 0.95, step: 0.05, doc: 'Fraction of entries dropped while training.' },
  },
  keyParams: ['rate'],
  design: { bends: () => false },
  inferShapes: passThrough,
  build(p, _inputs, ctx) {
    const layer = tf.layers.dropout({ rate: p.rate, seed: ctx.seed, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const pointwiseNodes = [activation, dropout];
