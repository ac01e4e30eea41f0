// Sources: where tensors enter the graph from outside any network.
import * as tf from '@tensorflow/tfjs';
import { DATASETS, datasetNames } from './datasets';
import { defineNode, NodeError } from './types';

export const dataset = defineNode({
  type: 'dataset',
  label: 'Dataset',
  category: 'data',
  role: 'source',
  doc: 'Batches of a built-in dataset: images in [-1, 1] or 2-D points, with one-hot labels.',
  inputs: [],
  outputs: [
    { id: 'x', label: 'x', kind: 'tensor', doc: 'The examples.' },
    { id: 'label', label: 'label', kind: 'tensor', doc: 'One-hot class labels.' },
  ],
  params: {
    dataset: { kind: 'enum', default: 'mnist', options: datasetNames(['image', 'points']), doc: 'Which dataset to draw batches from.' },
  },
  keyParams: ['dataset'],
  inferShapes(_inputs, p) {
    const info = DATASETS[p.dataset];
    if (!info) throw new NodeError(`has no dataset "${p.dataset}"`, 'dataset');
    const out: Record<string, (number | null)[]> = { x: [null, ...info.shape] };
    if (info.classes) out.label = [null, info.classes];
    return out;
  },
  run(ctx) {
    return ctx.data.batch(ctx.nodeId, ctx.batchSize, ctx.mode === 'train' ? 'train' : 'test');
  },
});

export const noise = defineNode({
  type: 'noise',
  label: 'Noise',
  category: 'data',
  role: 'source',
  doc: 'Latent noise: a fresh batch from N(0, I) or U(-1, 1) at every step.',
  inputs: [],
  outputs: [{ id: 'z', label: 'z', kind: 'tensor' }],
  params: {
    shape: { kind: 'shape', default: [64], minLength: 1, maxLength: 3, doc: 'Shape of one latent vector.' },
    distribution: { kind: 'enum', default: 'normal', options: ['normal', 'uniform'] as const },
  },
  keyParams: ['shape', 'distribution'],
  networkRole: { downstream: 'generator' },
  inferShapes(_inputs, p) {
    return { z: [null, ...p.shape] };
  },
  run(ctx) {
    const shape = [ctx.batchSize, ...ctx.params.shape];
    const z =
      ctx.params.distribution === 'uniform'
        ? tf.randomUniform(shape, -1, 1, 'float32', ctx.seed())
        : tf.randomNormal(shape, 0, 1, 'float32', ctx.seed());
    return { z };
  },
});

export const dataNodes = [dataset, noise];
