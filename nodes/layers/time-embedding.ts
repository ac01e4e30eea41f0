// The diffusion step t as a vector: sinusoids of geometrically spaced frequencies (Vaswani et al.
// 2017, §3.5, as used for t by Ho et al. 2020), optionally followed by a dense + SiLU layer.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError } from '../types';
import { formatShape, need } from '../shape';
import { lazyDense } from './lazy-grad';

export interface SinusoidalConfig {
  dim: number;
  maxPeriod: number;
}

/**
 * [batch, 1] → [batch, dim]: the first half sin(t·f_k), the second half cos(t·f_k), with
 * f_k = maxPeriod^(−k/half). No weights; a custom layer only because tfjs has no such op as a layer.
 */
export class SinusoidalTimeEmbedding extends tf.layers.Layer {
  static className = 'GenloomSinusoidalTimeEmbedding';
  readonly dim: number;
  readonly maxPeriod: number;

  constructor(config: SinusoidalConfig & { name?: string }) {
    super(config.name ? { name: config.name } : {});
    this.dim = config.dim;
    this.maxPeriod = config.maxPeriod;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const t = (Array.isArray(inputs) ? inputs[0] : inputs).reshape([-1, 1]); // (B, 1)
      const half = this.dim / 2;
      const k = tf.range(0, half, 1, 'float32');
      const freqs = tf.exp(tf.mul(k, -Math.log(this.maxPeriod) / half)).reshape([1, half]); // (1, half)
      const angles = tf.mul(t, freqs); // (B, half)
      return tf.concat([tf.sin(angles), tf.cos(angles)], 1); // (B, dim)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dim: this.dim, maxPeriod: this.maxPeriod };
  }
}
tf.serialization.registerClass(SinusoidalTimeEmbedding);

export const timeEmbedding = defineNode({
  type: 'timeEmbedding',
  label: 'Time embedding',
  category: 'layers',
  role: 'layer',
  doc: 'Sinusoidal embedding of the diffusion step t ([batch, 1]) into [batch, dim], optionally with a dense + SiLU layer.',
  inputs: [{ id: 'in', kind: 'tensor', doc: 'The step t, [batch, 1].' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    dim: { kind: 'int', default: 32, min: 2, max: 1024, doc: 'Embedding width (even).' },
    mlp: { kind: 'bool', default: true, label: 'dense + SiLU', doc: 'Follow the sinusoids with a learned dense layer of the same width and SiLU.' },
    maxPeriod: { kind: 'int', default: 10000, min: 2, max: 1_000_000, label: 'max period', doc: 'Longest wavelength, in steps.' },
  },
  keyParams: ['dim'],
  validateParams(p) {
    return p.dim % 2 === 0 ? [] : [{ field: 'dim', message: `must be even (half sines, half cosines), got ${p.dim}` }];
  },
  inferShapes(inputs, p) {
    const t = need(inputs, 'in');
    if (t.length !== 2 || t[1] !== 1) throw new NodeError(`expects input t [batch, 1], got ${formatShape(t)}`);
    return { out: [t[0], p.dim] };
  },
  countParams(_inputs, p) {
    return p.mlp ? p.dim * p.dim + p.dim : 0;
  },
  build(p, _inputs, ctx) {
    const sin = new SinusoidalTimeEmbedding({ dim: p.dim, maxPeriod: p.maxPeriod, name: ctx.layerName() });
    const mlp = p.mlp
      ? lazyDense(
          tf.layers.dense({
            units: p.dim,
            activation: 'swish',
            name: ctx.layerName('mlp'),
            kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
          }),
        )
      : null;
    return ({ in: t }) => {
      const e = sin.apply(t) as tf.SymbolicTensor;
      return { out: mlp ? (mlp.apply(e) as tf.SymbolicTensor) : e };
    };
  },
});
