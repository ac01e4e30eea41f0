// The reconstruction loss, named for what it is. Squared and absolute errors are distances, not
// likelihoods; the Bernoulli and Gaussian kinds are decoder distributions p(x | z), so their loss is
// −log p(x | z) in nats per example and a VAE's −ELBO is a bound on −log p(x).
import * as tf from '@tensorflow/tfjs';
import { perExampleMean } from './reduce';
import { formatShape, need, sameShape } from './shape';
import { defineNode, NodeError } from './types';

export const RECONSTRUCTION_KINDS = ['mse', 'l1', 'bce', 'bernoulli', 'gaussian'] as const;
type Kind = (typeof RECONSTRUCTION_KINDS)[number];

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Data in [-1, 1] as probabilities in [0, 1]. */
const unit = (x: tf.Tensor) => tf.div(tf.add(x, 1), 2);

/** −log Bernoulli(t; σ(logits)) per element, in the stable form of BCE with logits. */
function bernoulliNll(logits: tf.Tensor, t: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(logits), tf.mul(logits, t)), tf.softplus(tf.neg(tf.abs(logits))));
}

/**
 * Binary pixels drawn with probability equal to the grey level (Salakhutdinov & Murray 2008's
 * binarized MNIST): freshly at every training step (dynamic binarization), from a fixed seed when
 * held out, so every evaluation scores the same kind of data.
 */
export function binarize(x: tf.Tensor, seed: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), unit(x)), 'float32'));
}

/** −log p(target | pred) per element (or the distance, for mse and l1). `target` is already binary for bernoulli. */
export function elementLoss(kind: Kind, pred: tf.Tensor, target: tf.Tensor, sigma: number): tf.Tensor {
  switch (kind) {
    case 'l1':
      return tf.abs(tf.sub(pred, target));
    case 'mse':
      return tf.square(tf.sub(pred, target));
    case 'bce':
      return bernoulliNll(pred, unit(target));
    case 'bernoulli':
      return bernoulliNll(pred, target);
    case 'gaussian':
      return tf.add(tf.mul(0.5, tf.square(tf.div(tf.sub(pred, target), sigma))), Math.log(sigma) + HALF_LOG_2PI);
  }
}

/** The seed held-out binarization uses, whatever the step. */
export const EVAL_BINARIZE_SEED = 7919;

export const reconstruction = defineNode({
  type: 'reconstruction',
  label: 'Reconstruction loss',
  category: 'losses',
  role: 'loss',
  doc: 'How far a reconstruction is from its data: a distance (MSE, L1), or −log p(x|z) of a decoder distribution (Bernoulli on binarized pixels, Gaussian) in nats.',
  inputs: [
    { id: 'pred', kind: 'tensor', doc: 'The reconstruction (logits for bce and bernoulli, the mean for gaussian).' },
    { id: 'target', kind: 'tensor', doc: 'The data it should reproduce.' },
  ],
  outputs: [],
  params: {
    kind: {
      kind: 'enum', default: 'mse', options: RECONSTRUCTION_KINDS,
      doc: 'mse, l1: distances. bce: cross-entropy against grey levels. bernoulli: −log p of binarized pixels (a likelihood). gaussian: −log N(x; pred, σ²).',
    },
    reduction: {
      kind: 'enum', default: 'sum', options: ['sum', 'mean'] as const,
      doc: 'sum: over an example\'s features, then mean over the batch (per example); mean: over everything.',
    },
    sigma: { kind: 'float', default: 0.1, min: 1e-4, max: 10, step: 0.01, label: 'σ', doc: 'The Gaussian decoder\'s standard deviation.' },
    weight: { kind: 'float', default: 1, min: 0, max: 1000 },
  },
  keyParams: ['kind', 'reduction'],
  validateParams(p) {
    if ((p.kind === 'bernoulli' || p.kind === 'gaussian') && p.reduction !== 'sum')
      return [{ field: 'reduction', message: `a ${p.kind} likelihood is summed over an example's features: set reduction to sum` }];
    return [];
  },
  inferShapes(inputs) {
    const pred = need(inputs, 'pred');
    const target = need(inputs, 'target');
    if (!sameShape(pred, target))
      throw new NodeError(`expects pred and target of one shape, got ${formatShape(pred)} and ${formatShape(target)}`);
    return {};
  },
  toData(p, x) {
    // What the decoder's output means as data: logits become pixel probabilities, mapped back to the
    // data's range [-1, 1]; a mean is already data.
    return p.kind === 'bce' || p.kind === 'bernoulli' ? tf.tidy(() => tf.sub(tf.mul(tf.sigmoid(x), 2), 1)) : tf.clone(x);
  },
  logLikelihood(p, pred, target, seed) {
    if (p.kind !== 'bernoulli' && p.kind !== 'gaussian') return null;
    return tf.tidy(() => {
      const t = p.kind === 'bernoulli' ? binarize(target, seed) : target;
      const nll = elementLoss(p.kind, pred, t, p.sigma);
      const axes = Array.from({ length: nll.rank - 1 }, (_, i) => i + 1);
      return tf.neg(axes.length ? tf.sum(nll, axes) : nll);
    });
  },
  objectives(p) {
    const likelihood = p.kind === 'bernoulli' || p.kind === 'gaussian';
    return [
      {
        id: 'loss',
        phase: 'main',
        trains: 'upstream',
        unit: likelihood ? 'nats' : p.kind === 'bce' ? 'cross-entropy' : p.kind === 'l1' ? 'absolute error' : 'squared error',
        loss(ctx) {
          const pred = ctx.input('pred');
          const target = ctx.input('target');
          const binary = ctx.mode === 'train' ? ctx.seed() : EVAL_BINARIZE_SEED;
          const t = p.kind === 'bernoulli' ? binarize(target, binary) : target;
          const err = elementLoss(p.kind, pred, t, p.sigma);
          const l = p.reduction === 'sum' ? perExampleMean(err) : (tf.mean(err) as tf.Scalar);
          return p.weight === 1 ? l : tf.mul(p.weight, l);
        },
      },
    ];
  },
});
