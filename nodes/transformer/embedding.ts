// Turning token ids into vectors, and marking where in the sequence each vector sits.
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../types';
import { PositionalEmbedding } from './positional-layer';
import { sequence, tokenIds } from './shapes';
import { unresolvedVocab } from './vocab';

export const VOCAB_PARAM = {
  kind: 'int', default: 0, min: 0, max: 65536, label: 'vocabulary',
  doc: '0: the vocabulary of the text dataset upstream. Otherwise at least that many tokens.',
} as const;

export const tokenEmbedding = defineNode({
  type: 'tokenEmbedding',
  label: 'Token embedding',
  category: 'layers',
  role: 'layer',
  doc: 'A learned vector for each token id: [batch, T] ids → [batch, T, dim].',
  inputs: [{ id: 'tokens', label: 'tokens', kind: 'tensor', doc: 'Token ids [batch, T].' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    vocabSize: VOCAB_PARAM,
    dim: { kind: 'int', default: 64, min: 1, max: 4096, label: 'width', doc: 'Length of each token vector.' },
  },
  keyParams: ['dim'],
  inferShapes(inputs, p) {
    const { T } = tokenIds(inputs);
    if (p.vocabSize === 0) throw unresolvedVocab();
    return { out: [null, T, p.dim] };
  },
  countParams(_inputs, p) {
    return p.vocabSize * p.dim;
  },
  // A lookup: one row copied per token, no arithmetic on the table.
  flops(inputs, p) {
    return tokenIds(inputs).T * p.dim;
  },
  build(p, _inputs, ctx) {
    if (p.vocabSize === 0) throw unresolvedVocab();
    const layer = tf.layers.embedding({
      inputDim: p.vocabSize,
      outputDim: p.dim,
      name: ctx.layerName(),
      embeddingsInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: ctx.seed }),
    });
    return ({ tokens }) => ({ out: layer.apply(tokens) as tf.SymbolicTensor });
  },
});

export const positionalEmbedding = defineNode({
  type: 'positionalEmbedding',
  label: 'Positional embedding',
  category: 'layers',
  role: 'layer',
  doc: 'Adds a code for each position to [batch, T, dim]: learned per position, or fixed sinusoids.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    mode: { kind: 'enum', default: 'learned', options: ['learned', 'sinusoidal'] as const },
  },
  keyParams: ['mode'],
  inferShapes(inputs) {
    const { T, dim } = sequence(inputs);
    return { out: [null, T, dim] };
  },
  countParams(inputs, p) {
    if (p.mode !== 'learned') return 0;
    const { T, dim } = sequence(inputs);
    return T * dim;
  },
  // One add per value, whatever the table's size.
  flops(inputs) {
    const { T, dim } = sequence(inputs);
    return T * dim;
  },
  build(p, _inputs, ctx) {
    const layer = new PositionalEmbedding({ mode: p.mode, seed: ctx.seed, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});
