// Classifier-free guidance (Ho & Salimans 2022) needs one denoiser that knows both p(x | class) and
// p(x): while training, each example's one-hot label is dropped to all zeros ("no class") with
// probability `rate`. Sampling forces this node's output: the asked-for classes, zeros, or both.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError } from '../types';
import { formatShape, need } from '../shape';

export const labelDropout = defineNode({
  type: 'labelDropout',
  label: 'Label dropout (guidance)',
  category: 'generative',
  role: 'op',
  doc: 'Feeds one-hot class labels to a denoiser, replaced by zeros (no class) with probability `rate` while training, so sampling can use classifier-free guidance.',
  inputs: [{ id: 'label', label: 'label', kind: 'tensor', doc: 'One-hot class labels [batch, classes], e.g. the dataset’s label output.' }],
  outputs: [{ id: 'out', label: 'label', kind: 'tensor', doc: 'The labels, some dropped to zeros while training; forced by the sampler when sampling.' }],
  params: {
    rate: { kind: 'float', default: 0.1, min: 0, exclusiveMax: 1, step: 0.05, doc: 'Share of training examples that see no class (Ho & Salimans use 0.1–0.2).' },
  },
  keyParams: ['rate'],
  inferShapes(inputs) {
    const label = need(inputs, 'label');
    if (label.length !== 2 || typeof label[1] !== 'number' || label[1] < 2)
      throw new NodeError(`expects one-hot labels [batch, classes] with at least 2 classes, got ${formatShape(label)}`);
    return { out: [...label] };
  },
  run(ctx) {
    const label = ctx.input('label');
    if (ctx.mode !== 'train' || ctx.params.rate === 0) return { out: label };
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform([label.shape[0], 1], 0, 1, 'float32', ctx.seed()), ctx.params.rate), 'float32');
    return { out: tf.mul(label, keep) };
  },
});
