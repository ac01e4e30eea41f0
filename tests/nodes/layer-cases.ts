// Param settings and input shapes that the layer harness runs for each layer node type. Every
// layer-role node in the registry needs an entry here (layers.test.ts fails otherwise).
import type { ShapeMap } from '../../nodes/types';

export interface LayerCase {
  params: Record<string, unknown>;
  inputs: ShapeMap;
  /** Ports fed whole numbers in [0, n) (token ids, diffusion steps). */
  intInputs?: Record<string, number>;
}

const img = (h: number, w: number, c: number): ShapeMap => ({ in: [null, h, w, c] });

export const LAYER_CASES: Record<string, LayerCase[]> = {
  dense: [
    { params: { units: 4 }, inputs: { in: [null, 5] } },
    { params: { units: 3, activation: 'gelu', useBias: false }, inputs: { in: [null, 2, 5] } },
    { params: { units: 3, activation: 'leakyRelu', spectralNorm: true }, inputs: { in: [null, 4] } },
  ],
  minibatchStddev: [
    { params: { groupSize: 2 }, inputs: { in: [null, 3] } },
    { params: { groupSize: 4 }, inputs: img(3, 2, 2) },
  ],
  conv2d: [
    { params: { filters: 3, kernelSize: 3 }, inputs: img(5, 5, 2) },
    { params: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'leakyRelu' }, inputs: img(5, 6, 1) },
    { params: { filters: 2, kernelSize: 2, strides: 2, padding: 'valid', useBias: false }, inputs: img(5, 4, 3) },
    { params: { filters: 1, kernelSize: 4, padding: 'valid', activation: 'silu' }, inputs: img(4, 4, 1) },
    { params: { filters: 2, kernelSize: 3, strides: 2, spectralNorm: true }, inputs: img(4, 4, 2) },
  ],
  conv2dTranspose: [
    { params: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }, inputs: img(3, 3, 2) },
    { params: { filters: 3, kernelSize: 3, strides: 1, padding: 'valid' }, inputs: img(2, 3, 1) },
    { params: { filters: 1, kernelSize: 4, strides: 2, padding: 'valid', useBias: false }, inputs: img(3, 2, 2) },
    { params: { filters: 2, kernelSize: 1, strides: 3, padding: 'valid', activation: 'tanh' }, inputs: img(2, 2, 1) },
    { params: { filters: 2, kernelSize: 3, strides: 2, padding: 'same', spectralNorm: true }, inputs: img(2, 2, 3) },
  ],
  upsample: [
    { params: { factor: 2 }, inputs: img(2, 3, 2) },
    { params: { factor: 3, interpolation: 'bilinear' }, inputs: img(2, 2, 1) },
  ],
  pooling: [
    { params: { mode: 'max' }, inputs: img(4, 5, 2) },
    { params: { mode: 'average', poolSize: 3, strides: 1, padding: 'same' }, inputs: img(3, 4, 1) },
    { params: { mode: 'max', poolSize: 2, strides: 3, padding: 'same' }, inputs: img(5, 5, 1) },
    { params: { mode: 'average', poolSize: 3, strides: 2, padding: 'valid' }, inputs: img(5, 6, 2) },
  ],
  batchNorm: [
    { params: {}, inputs: img(2, 2, 3) },
    { params: { momentum: 0.9, epsilon: 1e-5 }, inputs: { in: [null, 4] } },
  ],
  layerNorm: [
    { params: {}, inputs: { in: [null, 3, 4] } },
    { params: { epsilon: 1e-5 }, inputs: img(2, 2, 3) },
  ],
  dropout: [
    { params: { rate: 0.5 }, inputs: { in: [null, 6] } },
    { params: { rate: 0 }, inputs: img(2, 2, 1) },
  ],
  activation: [
    { params: { activation: 'relu' }, inputs: { in: [null, 4] } },
    { params: { activation: 'leakyRelu', alpha: 0.1 }, inputs: img(2, 2, 1) },
    { params: { activation: 'gelu' }, inputs: { in: [null, 2, 3] } },
    { params: { activation: 'silu' }, inputs: { in: [null, 4] } },
    { params: { activation: 'tanh' }, inputs: { in: [null, 4] } },
    { params: { activation: 'sigmoid' }, inputs: { in: [null, 4] } },
  ],
  reshape: [
    { params: { targetShape: [2, 2, 3] }, inputs: { in: [null, 12] } },
    { params: { targetShape: [12] }, inputs: img(2, 3, 2) },
  ],
  flatten: [
    { params: {}, inputs: img(2, 3, 2) },
    { params: {}, inputs: { in: [null, 3, 4] } },
    { params: {}, inputs: { in: [null, 5] } },
  ],
  concat: [
    { params: {}, inputs: { a: [null, 2, 2, 1], b: [null, 2, 2, 3] } },
    { params: { axis: 1 }, inputs: { a: [null, 2, 3], b: [null, 1, 3], c: [null, 4, 3] } },
    { params: { axis: -2 }, inputs: { a: [null, 2, 3], b: [null, 5, 3] } },
  ],
  add: [
    { params: {}, inputs: { a: [null, 4], b: [null, 4] } },
    { params: {}, inputs: { a: [null, 2, 2, 2], b: [null, 2, 2, 2], c: [null, 2, 2, 2] } },
  ],

  // Sequence and diffusion layers.
  tokenEmbedding: [{ params: { vocabSize: 7, dim: 4 }, inputs: { tokens: [null, 5] }, intInputs: { tokens: 7 } }],
  positionalEmbedding: [
    { params: { mode: 'learned' }, inputs: { in: [null, 5, 4] } },
    { params: { mode: 'sinusoidal' }, inputs: { in: [null, 3, 6] } },
  ],
  multiHeadAttention: [
    { params: { heads: 2 }, inputs: { in: [null, 4, 6] } },
    { params: { heads: 3, headSize: 2, causal: false }, inputs: { in: [null, 3, 4] } },
  ],
  feedForward: [
    { params: { multiplier: 2 }, inputs: { in: [null, 3, 4] } },
    { params: { units: 5, activation: 'relu' }, inputs: { in: [null, 2, 3] } },
  ],
  transformerBlock: [{ params: { heads: 2, ffMultiplier: 2 }, inputs: { in: [null, 4, 6] } }],
  lmHead: [
    { params: { vocabSize: 9 }, inputs: { in: [null, 3, 4] } },
    { params: { vocabSize: 5, useBias: false }, inputs: { in: [null, 2, 6] } },
  ],
  timeEmbedding: [
    { params: { dim: 8 }, inputs: { in: [null, 1] }, intInputs: { in: 100 } },
    { params: { dim: 6, mlp: false }, inputs: { in: [null, 1] }, intInputs: { in: 1000 } },
  ],
  timeBias: [
    { params: {}, inputs: { in: [null, 2, 2, 3], emb: [null, 8] } },
    { params: {}, inputs: { in: [null, 5], emb: [null, 4] } },
    { params: { mode: 'scale' }, inputs: { in: [null, 5], emb: [null, 4] } },
  ],
  groupNorm: [
    { params: { groups: 2 }, inputs: { in: [null, 3, 3, 4] } },
    { params: { groups: 1 }, inputs: { in: [null, 6] } },
  ],
  resBlock: [
    { params: { filters: 4, groups: 2 }, inputs: { in: [null, 4, 4, 2], emb: [null, 3] } },
    { params: { filters: 4, groups: 4 }, inputs: { in: [null, 3, 3, 4] } },
  ],
  spatialAttention: [{ params: { heads: 2, groups: 2 }, inputs: { in: [null, 3, 3, 4] } }],
};
