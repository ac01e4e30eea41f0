// Sources: where tensors enter the graph from outside any network.
import * as tf from '@tensorflow/tfjs';
import { DATASETS, datasetNames } from './datasets';
import { defineNode, NodeError } from './types';
import { formatShape } from './shape';

/** Fewer uploaded images than this cannot fill a batch or hold any out. */
export const MIN_UPLOAD_IMAGES = 8;
export const MAX_UPLOAD_SIZE = 128;

/** The class names a labelled upload recorded (`uploadClasses`, comma-separated); empty when unlabelled. */
export function splitClasses(text: string): string[] {
  return text.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
}

export const dataset = defineNode({
  type: 'dataset',
  label: 'Dataset',
  category: 'data',
  role: 'source',
  doc: 'Batches of a built-in dataset or your own images: images in [-1, 1] or 2-D points, with one-hot labels.',
  inputs: [],
  outputs: [
    { id: 'x', label: 'x', kind: 'tensor', doc: 'The examples.' },
    { id: 'label', label: 'label', kind: 'tensor', doc: 'One-hot class labels.' },
  ],
  params: {
    dataset: {
      kind: 'enum', default: 'mnist', options: [...datasetNames(['image', 'points']), 'upload'],
      doc: 'Which dataset to draw batches from, or your own uploaded images.',
    },
    ringRadius: {
      kind: 'float', default: 1, min: 0.01, max: 100, step: 0.1, label: 'ring radius',
      doc: 'Ring only: radius of the circle of the 8 centres (PacGAN: 1).',
    },
    ringSigma: {
      kind: 'float', default: 0.01, min: 0.0001, max: 10, step: 0.01, label: 'ring σ',
      doc: 'Ring only: standard deviation of each Gaussian (PacGAN: 0.01).',
    },
    gridSpacing: {
      kind: 'float', default: 2, min: 0.01, max: 100, step: 0.1, label: 'grid spacing',
      doc: 'Grid only: distance between neighbouring centres; the grid is centred on 0 (PacGAN: 2, so {−4, …, 4}²).',
    },
    gridSigma: {
      kind: 'float', default: 0.05, min: 0.0001, max: 10, step: 0.01, label: 'grid σ',
      doc: 'Grid only: standard deviation of each Gaussian (PacGAN: 0.05).',
    },
    uploadName: { kind: 'string', default: '', maxLength: 200, label: 'uploaded images', doc: 'The uploaded image set this node reads.' },
    uploadSize: {
      kind: 'int', default: 28, min: 8, max: MAX_UPLOAD_SIZE, label: 'upload size',
      doc: 'Uploaded images are center-cropped and resized to this many pixels square (set it before uploading).',
    },
    uploadColor: {
      kind: 'enum', default: 'grayscale', options: ['grayscale', 'rgb'] as const, label: 'upload colour',
      doc: 'Uploaded images become 1 grey channel or 3 RGB channels (set it before uploading).',
    },
    uploadCount: {
      kind: 'int', default: 0, min: 0, max: 1_000_000, label: 'uploaded count',
      doc: 'How many images were uploaded; recorded when they are.',
    },
    uploadLabelled: {
      kind: 'bool', default: false, label: 'labelled upload',
      doc: 'Each image gets a class from its folder (one folder per class) or its file name up to the first underscore (cat_01.png); set it before uploading.',
    },
    uploadClasses: {
      kind: 'string', default: '', maxLength: 4000, label: 'upload classes',
      doc: 'The classes of a labelled upload, comma-separated in label order; recorded when the images are uploaded.',
    },
  },
  keyParams: ['dataset'],
  design: {
    examples(p) {
      const info = DATASETS[p.dataset];
      if (!info || info.kind === 'text') return undefined;
      return { kind: info.kind === 'image' ? 'images' : 'points', label: info.label };
    },
  },
  upload: { kind: 'images', choiceParam: 'dataset', nameParam: 'uploadName', onlyWhenChosen: true },
  data(p) {
    if (p.dataset !== 'upload') return { kind: 'examples', name: p.dataset, uploaded: false };
    return {
      kind: 'examples', name: p.uploadName, uploaded: true,
      exampleShape: [p.uploadSize, p.uploadSize, p.uploadColor === 'rgb' ? 3 : 1], shapeParams: ['uploadSize', 'uploadColor'],
      classes: p.uploadLabelled ? splitClasses(p.uploadClasses).length : undefined,
    };
  },
  validateParams(p) {
    if (p.dataset === 'upload' && p.uploadCount < MIN_UPLOAD_IMAGES)
      return [{ field: 'uploadCount', message: `upload at least ${MIN_UPLOAD_IMAGES} images first: their count is recorded then` }];
    if (p.dataset === 'upload' && p.uploadLabelled && splitClasses(p.uploadClasses).length < 2)
      return [{ field: 'uploadClasses', message: 'a labelled upload needs images of at least 2 classes: upload them again with "labelled upload" set' }];
    return [];
  },
  inferShapes(_inputs, p) {
    if (p.dataset === 'upload') {
      if (p.uploadCount < MIN_UPLOAD_IMAGES)
        throw new NodeError(`has no uploaded images yet: upload at least ${MIN_UPLOAD_IMAGES} (png, jpg or webp)`, 'uploadCount');
      const x = [null, p.uploadSize, p.uploadSize, p.uploadColor === 'rgb' ? 3 : 1];
      const classes = splitClasses(p.uploadClasses).length;
      if (!p.uploadLabelled) return { x };
      if (classes < 2) throw new NodeError('has a labelled upload of fewer than 2 classes: upload images of at least 2 classes again', 'uploadClasses');
      return { x, label: [null, classes] };
    }
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
  doc: 'Latent noise: a fresh batch from N(0, I), U(-1, 1) or a uniform categorical (one-hot) at every step.',
  inputs: [],
  outputs: [{ id: 'z', label: 'z', kind: 'tensor' }],
  params: {
    shape: { kind: 'shape', default: [64], minLength: 1, maxLength: 3, doc: 'Shape of one latent vector.' },
    distribution: {
      kind: 'enum',
      default: 'normal',
      options: ['normal', 'uniform', 'categorical'] as const,
      doc: 'categorical: one-hot vectors over the shape\'s last axis, each value equally likely (an InfoGAN code, wired to the generator and to a discriminator group whose label use is classifyFake).',
    },
    truncation: {
      kind: 'float',
      default: 0,
      min: 0,
      max: 4,
      step: 0.1,
      doc: 'Sampling only (the truncation trick, Brock et al. 2019): normal noise redrawn until every entry lies within ± this, so samples trade variety for fidelity; 0 = off. Training always draws the full N(0, I).',
    },
  },
  keyParams: ['shape', 'distribution'],
  networkRole: { downstream: 'generator' },
  inferShapes(_inputs, p) {
    if (p.distribution === 'categorical' && p.shape[p.shape.length - 1] < 2)
      throw new NodeError(`draws one-hot codes over the last axis of its shape, which needs at least 2 values, got ${formatShape([null, ...p.shape])}`, 'shape');
    return { z: [null, ...p.shape] };
  },
  run(ctx) {
    const shape = [ctx.batchSize, ...ctx.params.shape];
    if (ctx.params.distribution === 'categorical') return { z: oneHotDraw(shape, ctx.seed()) };
    if (ctx.params.distribution === 'uniform') return { z: tf.randomUniform(shape, -1, 1, 'float32', ctx.seed()) };
    const z = tf.randomNormal(shape, 0, 1, 'float32', ctx.seed());
    const bound = ctx.params.truncation;
    if (ctx.mode !== 'sample' || !(bound > 0)) return { z };
    const kept = truncate(z, bound, ctx.seed());
    z.dispose();
    return { z: kept };
  },
});

/** One-hot vectors over the last axis of `shape`, each value equally likely. */
function oneHotDraw(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const k = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const ids = tf.minimum(tf.floor(tf.randomUniform([rows], 0, k, 'float32', seed)), k - 1).toInt();
    return tf.oneHot(ids, k).toFloat().reshape(shape);
  });
}

/** Redraws the entries of z outside ±bound from N(0, 1): what is left is N(0, 1) conditioned on |z| ≤ bound. */
function truncate(z: tf.Tensor, bound: number, seed: number): tf.Tensor {
  // Its own tidy: a caller outside the trainer's would keep every round's draw.
  return tf.tidy(() => {
    let out = z;
    // Each round keeps an entry with probability P(|z| ≤ bound) (0.38 at 0.5), so 40 rounds leave
    // fewer than 1e-8 out at any bound ≥ 0.5; below that the few left are clipped to the bound.
    for (let round = 1; round <= 40; round++) {
      const outside = tf.greater(tf.abs(out), bound);
      if (!outside.any().dataSync()[0]) break;
      out = tf.where(outside, tf.randomNormal(z.shape, 0, 1, 'float32', seed + round), out);
    }
    return tf.clipByValue(out, -bound, bound);
  });
}

export const dataNodes = [dataset, noise];
