// Fixed (unlearned) resampling of images: upsample by repetition or interpolation, and pooling.
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../types';
import { imageInput, windowOut } from './spatial';

export const upsample = defineNode({
  type: 'upsample',
  label: 'Upsample',
  category: 'layers',
  role: 'layer',
  doc: 'Enlarges an image by a whole factor, repeating pixels (nearest) or interpolating (bilinear); no weights.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    factor: { kind: 'int', default: 2, min: 1, max: 8, doc: 'Height and width are multiplied by this.' },
    interpolation: { kind: 'enum', default: 'nearest', options: ['nearest', 'bilinear'] as const },
  },
  keyParams: ['factor', 'interpolation'],
  design: { bends: () => false },
  inferShapes(inputs, p) {
    const [h, w, c] = imageInput(inputs);
    return { out: [null, h === null ? null : h * p.factor, w === null ? null : w * p.factor, c] };
  },
  build(p, _inputs, ctx) {
    const layer = tf.layers.upSampling2d({ size: [p.factor, p.factor], interpolation: p.interpolation, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const pooling = defineNode({
  type: 'pooling',
  label: 'Pooling',
  category: 'layers',
  role: 'layer',
  doc: 'Downsamples an image by taking the max or the average of each window, per channel; no weights.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    mode: { kind: 'enum', default: 'max', options: ['max', 'average'] as const },
    poolSize: { kind: 'int', default: 2, min: 1, max: 8, label: 'pool size', doc: 'Square window side.' },
    strides: { kind: 'int', default: 2, min: 1, max: 8, doc: 'Step between windows.' },
    padding: { kind: 'enum', default: 'valid', options: ['same', 'valid'] as const },
  },
  keyParams: ['mode', 'poolSize', 'strides'],
  // Average pooling is linear; max pooling bends.
  design: { bends: (p) => p.mode !== 'average' },
  inferShapes(inputs, p) {
    const [h, w, c] = imageInput(inputs);
    return {
      out: [
        null,
        windowOut(h, p.poolSize, p.strides, p.padding, 'poolSize'),
        windowOut(w, p.poolSize, p.strides, p.padding, 'poolSize'),
        c,
      ],
    };
  },
  build(p, _inputs, ctx) {
    const args = { poolSize: p.poolSize, strides: p.strides, padding: p.padding, name: ctx.layerName() };
    const layer = p.mode === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const resampleNodes = [upsample, pooling];
