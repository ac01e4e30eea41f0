// The rest of a GPT: the position-wise feed-forward net, the pre-norm transformer block built from
// it and attention, and the head that turns vectors into next-token logits.
import * as tf from '@tensorflow/tfjs';
import { defineNode, type BuildContext } from '../types';
import { activationLayer, ACTIVATIONS, type ActivationName } from '../layers/activations';
import { MultiHeadAttention } from './attention-layer';
import { LastAxisNorm } from '../layers/layer-norm-layer';
import { lazyDense } from '../layers/lazy-grad';
import { ATTENTION_PARAMS, attentionFlops, attentionParamCount, attentionWorkValues, headSizeFor } from './attention';
import { sequence } from './shapes';
import { VOCAB_PARAM } from './embedding';
import { unresolvedVocab } from './vocab';

type Apply = (x: tf.SymbolicTensor) => tf.SymbolicTensor;

interface FeedForwardSpec {
  dim: number;
  hidden: number;
  activation: ActivationName;
  dropout: number;
}

/** dim → hidden (activation) → dim, then dropout while training. */
function feedForwardLayers(spec: FeedForwardSpec, ctx: BuildContext, prefix: string, seed: number): Apply {
  // Plain matMuls on [batch·T, dim] (lazy-grad.ts): tfjs's Dense reshapes once more on 3-D input.
  const up = lazyDense(tf.layers.dense({
    units: spec.hidden, name: ctx.layerName(`${prefix}up`), kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  const act = activationLayer(spec.activation, ctx.layerName(`${prefix}act`));
  const down = lazyDense(tf.layers.dense({
    units: spec.dim, name: ctx.layerName(`${prefix}down`), kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
  }));
  const drop = spec.dropout > 0 ? tf.layers.dropout({ rate: spec.dropout, name: ctx.layerName(`${prefix}drop`) }) : null;
  return (x) => {
    const y = down.apply(act.apply(up.apply(x))) as tf.SymbolicTensor;
    return drop ? (drop.apply(y) as tf.SymbolicTensor) : y;
  };
}

function feedForwardParamCount(dim: number, hidden: number): number {
  return dim * hidden + hidden + hidden * dim + dim;
}

export const feedForward = defineNode({
  type: 'feedForward',
  label: 'Feed-forward',
  category: 'layers',
  role: 'layer',
  doc: 'Position-wise MLP on the last axis: width → hidden (activation) → width.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    multiplier: { kind: 'int', default: 4, min: 1, max: 16, doc: 'Hidden width as a multiple of the input width.' },
    units: { kind: 'int', default: 0, min: 0, max: 65536, label: 'hidden units', doc: '0: multiplier × width.' },
    activation: { kind: 'enum', default: 'gelu', options: ACTIVATIONS },
    dropout: { kind: 'float', default: 0, min: 0, max: 0.9, step: 0.05 },
  },
  keyParams: ['multiplier', 'activation'],
  inferShapes(inputs) {
    const { T, dim } = sequence(inputs);
    return { out: [null, T, dim] };
  },
  countParams(inputs, p) {
    const { dim } = sequence(inputs);
    return feedForwardParamCount(dim, p.units || p.multiplier * dim);
  },
  workValues(inputs, p) {
    const { T, dim } = sequence(inputs);
    return 2 * T * (p.units || p.multiplier * dim);
  },
  build(p, inputs, ctx) {
    const { dim } = sequence(inputs);
    const ff = feedForwardLayers(
      { dim, hidden: p.units || p.multiplier * dim, activation: p.activation as ActivationName, dropout: p.dropout }, ctx, '', ctx.seed,
    );
    return ({ in: x }) => ({ out: ff(x) });
  },
});

export const transformerBlock = defineNode({
  type: 'transformerBlock',
  label: 'Transformer block',
  category: 'layers',
  role: 'layer',
  doc: 'Pre-norm GPT block: x + attention(norm(x)), then x + feed-forward(norm(x)); keeps the width.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    ...ATTENTION_PARAMS,
    ffMultiplier: { kind: 'int', default: 4, min: 1, max: 16, label: 'FF multiplier', doc: 'Feed-forward hidden width ÷ block width.' },
    activation: { kind: 'enum', default: 'gelu', options: ACTIVATIONS },
  },
  keyParams: ['heads', 'causal'],
  inferShapes(inputs, p) {
    const { T, dim } = sequence(inputs);
    headSizeFor(p, dim);
    return { out: [null, T, dim] };
  },
  countParams(inputs, p) {
    const { dim } = sequence(inputs);
    return 4 * dim + attentionParamCount(dim, p.heads, headSizeFor(p, dim)) + feedForwardParamCount(dim, p.ffMultiplier * dim);
  },
  workValues(inputs, p) {
    const { T, dim } = sequence(inputs);
    // Two norms and a residual sum, the attention, the feed-forward's hidden layer.
    return 3 * T * dim + attentionWorkValues(T, p.heads, headSizeFor(p, dim)) + 2 * T * p.ffMultiplier * dim;
  },
  flops(inputs, p) {
    const { T, dim } = sequence(inputs);
    const hidden = p.ffMultiplier * dim;
    // Attention, the feed-forward's two matmuls, two norms (about 8 operations a value) and two residual sums.
    return attentionFlops(T, dim, p.heads, headSizeFor(p, dim)) + 2 * T * feedForwardParamCount(dim, hidden) + 2 * T * hidden + 10 * T * dim;
  },
  build(p, inputs, ctx) {
    const { dim } = sequence(inputs);
    // GPT-2's epsilon; tfjs's default 1e-3 is coarser than the activations at init.
    const ln1 = new LastAxisNorm({ epsilon: 1e-5, name: ctx.layerName('ln1') });
    const attn = new MultiHeadAttention({
      heads: p.heads, headSize: headSizeFor(p, dim), causal: p.causal, dropout: p.dropout, seed: ctx.seed, name: ctx.layerName('attn'),
    });
    const add1 = tf.layers.add({ name: ctx.layerName('add1') });
    const ln2 = new LastAxisNorm({ epsilon: 1e-5, name: ctx.layerName('ln2') });
    const ff = feedForwardLayers(
      { dim, hidden: p.ffMultiplier * dim, activation: p.activation as ActivationName, dropout: p.dropout }, ctx, 'ff_', ctx.seed + 2,
    );
    const add2 = tf.layers.add({ name: ctx.layerName('add2') });
    return ({ in: x }) => {
      const h = add1.apply([x, attn.apply(ln1.apply(x)) as tf.SymbolicTensor]) as tf.SymbolicTensor; // (B, T, C)
      return { out: add2.apply([h, ff(ln2.apply(h) as tf.SymbolicTensor)]) as tf.SymbolicTensor }; // (B, T, C)
    };
  },
});

export const lmHead = defineNode({
  type: 'lmHead',
  label: 'LM head',
  category: 'layers',
  role: 'layer',
  doc: 'Next-token logits: a dense layer from width to the vocabulary (of the text dataset upstream by default).',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'logits', label: 'logits', kind: 'tensor' }],
  params: {
    vocabSize: VOCAB_PARAM,
    useBias: { kind: 'bool', default: true },
  },
  keyParams: [],
  inferShapes(inputs, p) {
    const { T } = sequence(inputs);
    if (p.vocabSize === 0) throw unresolvedVocab();
    return { logits: [null, T, p.vocabSize] };
  },
  countParams(inputs, p) {
    const { dim } = sequence(inputs);
    return dim * p.vocabSize + (p.useBias ? p.vocabSize : 0);
  },
  build(p, _inputs, ctx) {
    if (p.vocabSize === 0) throw unresolvedVocab();
    const layer = lazyDense(tf.layers.dense({
      units: p.vocabSize, useBias: p.useBias, name: ctx.layerName(),
      kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: ctx.seed }),
    }));
    return ({ in: x }) => ({ logits: layer.apply(x) as tf.SymbolicTensor });
  },
});
