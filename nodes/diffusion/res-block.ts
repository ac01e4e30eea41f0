// The residual block of the DDPM U-Net (Ho et al. 2020, after Wide ResNets): GroupNorm, SiLU, 3×3
// conv, plus a projection of the time embedding per channel, then GroupNorm, SiLU, 3×3 conv, added to
// the input (through a 1×1 conv when the channel count changes). Built from tf.layers, so it saves
// and loads like any other layers.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError, type ShapeMap } from '../types';
import { formatShape, need } from '../shape';
import { GroupNorm } from '../layers/group-norm-layer';
import { groupedChannels } from '../layers/group-norm';
import { lazyConv2d, lazyDense } from '../layers/lazy-grad';

function imageShape(inputs: ShapeMap): [number, number, number] {
  const x = need(inputs, 'in');
  if (x.length !== 4 || x.slice(1).some((d) => typeof d !== 'number'))
    throw new NodeError(`expects input [batch, height, width, channels], got ${formatShape(x)}`);
  return x.slice(1) as [number, number, number];
}

function embWidth(inputs: ShapeMap): number | null {
  const e = inputs.emb;
  if (!e) return null;
  if (e.length !== 2 || typeof e[1] !== 'number') throw new NodeError(`expects emb [batch, d] (a time embedding), got ${formatShape(e)}`);
  return e[1];
}

export const resBlock = defineNode({
  type: 'resBlock',
  label: 'Residual block',
  category: 'layers',
  role: 'layer',
  doc: 'x + conv(SiLU(GN(conv(SiLU(GN(x))) + dense(emb)))): the DDPM U-Net block, conditioned on the time embedding; a 1×1 conv matches channels.',
  inputs: [
    { id: 'in', kind: 'tensor', doc: 'Feature map [batch, h, w, c].' },
    { id: 'emb', kind: 'tensor', optional: true, doc: 'Time (or time and class) embedding [batch, d], added per channel after the first conv.' },
  ],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    filters: { kind: 'int', default: 32, min: 1, max: 1024, doc: 'Output channels.' },
    groups: { kind: 'int', default: 8, min: 1, max: 512, doc: 'Group-norm groups; must divide the input channels and the filters.' },
  },
  keyParams: ['filters'],
  inferShapes(inputs, p) {
    const [h, w] = imageShape(inputs);
    groupedChannels(need(inputs, 'in'), p.groups);
    if (p.filters % p.groups !== 0) throw new NodeError(`expects filters divisible by groups = ${p.groups}, got ${p.filters}`, 'filters');
    embWidth(inputs);
    return { out: [need(inputs, 'in')[0], h, w, p.filters] };
  },
  countParams(inputs, p) {
    const [, , c] = imageShape(inputs);
    const f = p.filters;
    const d = embWidth(inputs);
    const time = d === null ? 0 : d * f + f;
    const skip = c === f ? 0 : c * f + f;
    return 2 * c + (9 * c * f + f) + time + 2 * f + (9 * f * f + f) + skip;
  },
  workValues(inputs, p) {
    const [h, w] = imageShape(inputs);
    // Two norms, two activations and a conv kept for the backward pass, at the output width.
    return 6 * h * w * p.filters;
  },
  build(p, inputs, ctx) {
    const c = inputs.in[3] as number;
    const f = p.filters;
    const conv = (name: string, k: number, seed: number) =>
      lazyConv2d(
        tf.layers.conv2d({ filters: f, kernelSize: k, padding: 'same', name: ctx.layerName(name), kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      );
    const norm1 = new GroupNorm({ groups: p.groups, epsilon: 1e-5, name: ctx.layerName('norm1') });
    const act1 = tf.layers.activation({ activation: 'swish', name: ctx.layerName('act1') });
    const conv1 = conv('conv1', 3, ctx.seed);
    const norm2 = new GroupNorm({ groups: p.groups, epsilon: 1e-5, name: ctx.layerName('norm2') });
    const act2 = tf.layers.activation({ activation: 'swish', name: ctx.layerName('act2') });
    const conv2 = conv('conv2', 3, ctx.seed + 1);
    const skip = c === f ? null : conv('skip', 1, ctx.seed + 2);
    const time = inputs.emb
      ? {
          proj: lazyDense(tf.layers.dense({ units: f, name: ctx.layerName('time'), kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed + 3 }) })),
          reshape: tf.layers.reshape({ targetShape: [1, 1, f], name: ctx.layerName('time_reshape') }),
          add: tf.layers.add({ name: ctx.layerName('time_add') }),
        }
      : null;
    const sum = tf.layers.add({ name: ctx.layerName() });
    const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
    return ({ in: x, emb }) => {
      let h = apply(conv1, apply(act1, apply(norm1, x))); // (B, H, W, F)
      if (time && emb) h = apply(time.add, [h, apply(time.reshape, apply(time.proj, emb))]); // (B, H, W, F)
      h = apply(conv2, apply(act2, apply(norm2, h))); // (B, H, W, F)
      return { out: apply(sum, [skip ? apply(skip, x) : x, h]) };
    };
  },
});
