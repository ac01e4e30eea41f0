import * as tf from '@tensorflow/tfjs';
import { NodeError, defineNode } from '../types';
import { formatShape, need } from '../shape';
import { lazyDense } from './lazy-grad';
import { SPECTRAL_NORM_PARAM, withSpectralNorm } from './spectral-norm';
import { activationLayer, builtInActivation, OPTIONAL_ACTIVATIONS, WEIGHTED_DESIGN, type ActivationName } from './activations';

export const DENSE_INITS = ['glorot', 'uniform'] as const;

/**
 * PyTorch's nn.Linear default (kaiming_uniform with a = √5, and its bias rule) is U(±1/√fan-in) for
 * weights and bias alike. The random bias matters for low-dimensional inputs: with zero bias every
 * ReLU's kink starts through the origin, and a 2-D model spends its first thousands of steps moving them.
 */
function uniformInit(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  return {
    kernelInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed }),
    biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: seed + 1 }),
  };
}

export const dense = defineNode({
  type: 'dense',
  label: 'Dense',
  category: 'layers',
  role: 'layer',
  doc: 'Fully connected layer on the last axis: y = activation(x·W + b).',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    units: { kind: 'int', default: 128, min: 1, max: 65536 },
    activation: { kind: 'enum', default: 'none', options: OPTIONAL_ACTIVATIONS },
    useBias: { kind: 'bool', default: true },
    spectralNorm: SPECTRAL_NORM_PARAM,
    init: {
      kind: 'enum',
      default: 'glorot',
      options: DENSE_INITS,
      doc: 'glorot: Glorot-uniform weights, zero bias (Keras). uniform: weights and bias uniform in ±1/√fan-in, as PyTorch’s nn.Linear starts.',
    },
  },
  keyParams: ['units', 'activation'],
  design: { ...WEIGHTED_DESIGN, widthParam: 'units' },
  inferShapes(inputs, p) {
    const x = need(inputs, 'in');
    const last = x[x.length - 1];
    if (x.length < 2 || last === null)
      throw new NodeError(`expects input [batch, …, features], got ${formatShape(x)}`);
    return { out: [...x.slice(0, -1), p.units] };
  },
  countParams(inputs, p) {
    const x = inputs.in;
    const fin = x ? (x[x.length - 1] ?? 0) : 0;
    return fin * p.units + (p.useBias ? p.units : 0);
  },
  build(p, inputs, ctx) {
    const inside = builtInActivation(p.activation);
    const fanIn = inputs.in?.[inputs.in.length - 1] ?? 1;
    const init = p.init === 'uniform' ? uniformInit(fanIn, ctx.seed) : { kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }) };
    const stock = lazyDense(tf.layers.dense({
      units: p.units,
      activation: inside,
      useBias: p.useBias,
      name: ctx.layerName(),
      ...init,
    }));
    const layer = p.spectralNorm ? withSpectralNorm(stock, 1, ctx.seed + 1) : stock;
    const act = p.activation === 'none' || inside ? null : activationLayer(p.activation as ActivationName, ctx.layerName('act'));
    return ({ in: x }) => {
      const y = layer.apply(x) as tf.SymbolicTensor;
      return { out: act ? (act.apply(y) as tf.SymbolicTensor) : y };
    };
  },
});
