// Conditions features on the diffusion step: a learned projection of the time embedding is added to
// every position, one value per channel (as in the residual blocks of Ho et al. 2020), or multiplies
// it (the KAIST DDPM assignment's TimeLinear: fc(x) · emb(t)).
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError } from '../types';
import { formatShape, need } from '../shape';

export const TIME_BIAS_MODES = ['add', 'scale'] as const;

export const timeBias = defineNode({
  type: 'timeBias',
  label: 'Add time embedding',
  category: 'layers',
  role: 'layer',
  doc: 'Adds dense(emb) to a feature map, or multiplies by it, broadcast over positions: [batch, …, c] and [batch, d] → [batch, …, c].',
  inputs: [
    { id: 'in', kind: 'tensor', doc: 'Features [batch, …, c] (a vector, a sequence or an image).' },
    { id: 'emb', kind: 'tensor', doc: 'The time embedding [batch, d].' },
  ],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    mode: { kind: 'enum', default: 'add', options: TIME_BIAS_MODES, doc: 'add: x + dense(emb) (a U-Net level); scale: x · dense(emb) (a time-modulated MLP layer).' },
  },
  keyParams: ['mode'],
  inferShapes(inputs) {
    const x = need(inputs, 'in');
    const e = need(inputs, 'emb');
    if (e.length !== 2 || e[1] === null) throw new NodeError(`expects emb [batch, d], got ${formatShape(e)}`);
    if (x.length < 2 || x.length > 4 || x.some((d, i) => i > 0 && d === null))
      throw new NodeError(`expects in [batch, c], [batch, n, c] or [batch, h, w, c], got ${formatShape(x)}`);
    return { out: [...x] };
  },
  countParams(inputs) {
    const x = inputs.in;
    const e = inputs.emb;
    if (!x || !e) return 0;
    const c = x[x.length - 1] ?? 0;
    return (e[1] ?? 0) * c + c;
  },
  // The dense layer runs once per example; only the add is repeated at every position.
  flops(inputs) {
    const x = inputs.in ?? [];
    const c = x[x.length - 1] ?? 0;
    const values = x.slice(1).reduce<number>((n, d) => n * (d ?? 0), 1);
    return 2 * (inputs.emb?.[1] ?? 0) * c + values;
  },
  build(p, inputs, ctx) {
    const x = inputs.in;
    const c = x[x.length - 1] as number;
    const proj = tf.layers.dense({
      units: c,
      name: ctx.layerName('proj'),
      kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
    });
    // [batch, c] → [batch, 1, …, 1, c] so tf's Add and Multiply broadcast it over the positions.
    const ones = x.slice(1, -1).map(() => 1);
    const reshape = ones.length ? tf.layers.reshape({ targetShape: [...ones, c], name: ctx.layerName('reshape') }) : null;
    const merge = p.mode === 'scale' ? tf.layers.multiply({ name: ctx.layerName() }) : tf.layers.add({ name: ctx.layerName() });
    return ({ in: features, emb }) => {
      const b = proj.apply(emb) as tf.SymbolicTensor;
      const bb = reshape ? (reshape.apply(b) as tf.SymbolicTensor) : b;
      return { out: merge.apply([features, bb]) as tf.SymbolicTensor };
    };
  },
});
