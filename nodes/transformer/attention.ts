// The multi-head self-attention node: the custom layer in attention-layer.ts behind a node definition.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError } from '../types';
import { MultiHeadAttention } from './attention-layer';
import { sequence } from './shapes';

/** The params every attention-bearing node shares. */
export const ATTENTION_PARAMS = {
  heads: { kind: 'int', default: 4, min: 1, max: 64, doc: 'Attention heads, each looking at the sequence its own way.' },
  headSize: {
    kind: 'int', default: 0, min: 0, max: 1024, label: 'head size',
    doc: '0: width ÷ heads, so the heads together are as wide as the input.',
  },
  causal: { kind: 'bool', default: true, doc: 'Each position sees only itself and earlier ones (needed to generate text).' },
  dropout: { kind: 'float', default: 0, min: 0, max: 0.9, step: 0.05, doc: 'Dropped while training only.' },
} as const;

/** The head size the params give for a width `dim`. */
/** Scores and probabilities (heads × T × T) and the queries, keys, values and mixed heads. */
export function attentionWorkValues(T: number, heads: number, headSize: number): number {
  return 2 * heads * T * T + 4 * T * heads * headSize;
}

export function headSizeFor(p: { heads: number; headSize: number }, dim: number): number {
  if (p.headSize > 0) return p.headSize;
  if (dim % p.heads !== 0)
    throw new NodeError(`has width ${dim}, which ${p.heads} heads cannot split evenly: set headSize or change heads`, 'heads');
  return dim / p.heads;
}

/** Forward FLOPs per sequence: the projections at every position, then QKᵀ and the weighted sum of V. */
export function attentionFlops(T: number, dim: number, heads: number, headSize: number): number {
  return 2 * T * attentionParamCount(dim, heads, headSize) + 4 * heads * T * T * headSize + 3 * heads * T * T;
}

export function attentionParamCount(dim: number, heads: number, headSize: number): number {
  const inner = heads * headSize;
  return dim * 3 * inner + 3 * inner + inner * dim + dim;
}

export const multiHeadAttention = defineNode({
  type: 'multiHeadAttention',
  label: 'Multi-head attention',
  category: 'layers',
  role: 'layer',
  doc: 'Self-attention softmax(QKᵀ/√d)V in several heads, projected back to the input width.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: ATTENTION_PARAMS,
  keyParams: ['heads', 'causal'],
  inferShapes(inputs, p) {
    const { T, dim } = sequence(inputs);
    headSizeFor(p, dim);
    return { out: [null, T, dim] };
  },
  countParams(inputs, p) {
    const { dim } = sequence(inputs);
    return attentionParamCount(dim, p.heads, headSizeFor(p, dim));
  },
  workValues(inputs, p) {
    const { T, dim } = sequence(inputs);
    return attentionWorkValues(T, p.heads, headSizeFor(p, dim));
  },
  flops(inputs, p) {
    const { T, dim } = sequence(inputs);
    return attentionFlops(T, dim, p.heads, headSizeFor(p, dim));
  },
  build(p, inputs, ctx) {
    const { dim } = sequence(inputs);
    const layer = new MultiHeadAttention({
      heads: p.heads, headSize: headSizeFor(p, dim), causal: p.causal, dropout: p.dropout, seed: ctx.seed, name: ctx.layerName(),
    });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});
