// Self-attention over the positions of a small feature map, as the DDPM U-Net uses at 16×16
// (Ho et al. 2020, appendix B): x + attention(GN(x)), each of the h·w positions a token of width c.
// The attention matrix grows as (h·w)², so it is refused above 256 positions.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError, type ShapeMap } from '../types';
import { formatShape, need } from '../shape';
import { GroupNorm } from '../layers/group-norm-layer';
import { groupedChannels } from '../layers/group-norm';
import { MultiHeadAttention } from '../transformer/attention-layer';

/** The most positions a map may have: 16×16, where the DDPM U-Net attends. */
export const MAX_ATTENTION_POSITIONS = 256;

function mapShape(inputs: ShapeMap, heads: number): [number, number, number] {
  const x = need(inputs, 'in');
  if (x.length !== 4 || x.slice(1).some((d) => typeof d !== 'number'))
    throw new NodeError(`expects input [batch, height, width, channels], got ${formatShape(x)}`);
  const [h, w, c] = x.slice(1) as [number, number, number];
  if (h * w > MAX_ATTENTION_POSITIONS)
    throw new NodeError(`attends over every pair of positions, so it needs a map of at most ${MAX_ATTENTION_POSITIONS} positions (16×16), got ${h}×${w}: place it after downsampling`);
  if (c % heads !== 0) throw new NodeError(`expects channels divisible by heads = ${heads}, got ${c}`, 'heads');
  return [h, w, c];
}

export const spatialAttention = defineNode({
  type: 'spatialAttention',
  label: 'Spatial self-attention',
  category: 'layers',
  role: 'layer',
  doc: 'x + self-attention(GN(x)) over the positions of a feature map of at most 16×16, so distant parts of an image can agree.',
  inputs: [{ id: 'in', kind: 'tensor', doc: 'Feature map [batch, h, w, c] with h·w ≤ 256.' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    heads: { kind: 'int', default: 1, min: 1, max: 16, doc: 'Attention heads; each attends with c/heads channels.' },
    groups: { kind: 'int', default: 8, min: 1, max: 512, doc: 'Group-norm groups; must divide the channels.' },
  },
  keyParams: ['heads'],
  inferShapes(inputs, p) {
    mapShape(inputs, p.heads);
    groupedChannels(need(inputs, 'in'), p.groups);
    return { out: [...need(inputs, 'in')] };
  },
  countParams(inputs, p) {
    const [, , c] = mapShape(inputs, p.heads);
    return 2 * c + (3 * c * c + 3 * c) + (c * c + c);
  },
  workValues(inputs, p) {
    const [h, w, c] = mapShape(inputs, p.heads);
    const n = h * w;
    // Scores and softmax per head, and q, k, v, the mix and the projection at the map's size.
    return 2 * p.heads * n * n + 6 * n * c;
  },
  // The projections at every pixel, then QKᵀ and the weighted sum of V over all pixel pairs.
  flops(inputs, p) {
    const [h, w, c] = mapShape(inputs, p.heads);
    const n = h * w;
    return 2 * n * (4 * c * c + 5 * c) + 4 * n * n * c + 3 * p.heads * n * n;
  },
  build(p, inputs, ctx) {
    const [h, w, c] = inputs.in.slice(1) as [number, number, number];
    const norm = new GroupNorm({ groups: p.groups, epsilon: 1e-5, name: ctx.layerName('norm') });
    const flat = tf.layers.reshape({ targetShape: [h * w, c], name: ctx.layerName('tokens') });
    const attend = new MultiHeadAttention({ heads: p.heads, headSize: c / p.heads, causal: false, dropout: 0, seed: ctx.seed, name: ctx.layerName('attention') });
    const unflat = tf.layers.reshape({ targetShape: [h, w, c], name: ctx.layerName('map') });
    const sum = tf.layers.add({ name: ctx.layerName() });
    const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
    return ({ in: x }) => ({ out: apply(sum, [x, apply(unflat, apply(attend, apply(flat, apply(norm, x))))]) });
  },
});
