// The VAE's two pipeline pieces: the reparameterization trick and the KL term of the ELBO
// (Kingma & Welling 2014, "Auto-Encoding Variational Bayes", §2.4 and appendix B).
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError } from './types';
import { priorSampler } from './generated-sampling';
import { formatShape, need, sameShape } from './shape';

export const reparameterize = defineNode({
  type: 'reparameterize',
  label: 'Reparameterize',
  category: 'generative',
  role: 'op',
  doc: 'Samples z = mean + exp(logvar/2)·ε, ε ~ N(0, I), so gradients reach the encoder; sampling draws z from the prior.',
  inputs: [
    { id: 'mean', label: 'μ', kind: 'tensor' },
    { id: 'logvar', label: 'log σ²', kind: 'tensor' },
  ],
  outputs: [{ id: 'z', label: 'z', kind: 'tensor' }],
  params: {},
  sampleFromPrior: true,
  sampler: priorSampler('z', { mean: 'mean', logvar: 'logvar' }),
  networkRole: { upstream: 'encoder', downstream: 'decoder' },
  requires: [
    {
      type: 'klDivergence',
      where: 'graph',
      message: 'needs a KL divergence loss on its mean and logvar, or nothing pulls the latent toward the prior that sampling draws from',
      fix: {
        check: 'kl-term',
        why: 'Without the KL term nothing pulls the codes towards N(0, I): the encoder spreads them anywhere, and samples drawn from N(0, I) decode to noise. It is then a plain autoencoder.',
        idBase: 'kl',
        inputs: [{ from: 'mean', to: 'mean' }, { from: 'logvar', to: 'logvar' }],
      },
    },
  ],
  inferShapes(inputs) {
    const mean = need(inputs, 'mean');
    const logvar = need(inputs, 'logvar');
    if (!sameShape(mean, logvar))
      throw new NodeError(`expects mean and logvar of the same shape, got ${formatShape(mean)} and ${formatShape(logvar)}`);
    return { z: [...mean] };
  },
  run(ctx) {
    const mean = ctx.input('mean');
    const logvar = ctx.input('logvar');
    const seed = ctx.seed();
    return { z: tf.tidy(() => tf.add(mean, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mean.shape, 0, 1, 'float32', seed)))) };
  },
});

/** β at a training step: linear from 0 to `beta` over the first `warmupSteps` steps, then `beta`. */
export function klWeight(beta: number, warmupSteps: number, step: number): number {
  if (warmupSteps <= 0) return beta;
  return beta * Math.min(1, Math.max(0, step) / warmupSteps);
}

/** KL(N(mean, exp(logvar)) ‖ N(0, I)) summed over every non-batch axis, averaged over the batch. */
export function gaussianKl(mean: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const perElement = tf.sub(tf.sub(tf.add(1, logvar), tf.square(mean)), tf.exp(logvar));
    const axes = mean.shape.slice(1).map((_, i) => i + 1);
    const perExample = axes.length ? tf.sum(perElement, axes) : perElement;
    return tf.mul(-0.5, tf.mean(perExample)) as tf.Scalar;
  });
}

export const klDivergence = defineNode({
  type: 'klDivergence',
  label: 'KL divergence',
  category: 'losses',
  role: 'loss',
  doc: 'β·KL(q(z|x) ‖ N(0, I)) in nats per example; β may warm up from 0 over the first steps.',
  inputs: [
    { id: 'mean', label: 'μ', kind: 'tensor' },
    { id: 'logvar', label: 'log σ²', kind: 'tensor' },
  ],
  outputs: [],
  params: {
    beta: { kind: 'float', default: 1, min: 0, max: 100, step: 0.1, label: 'β', doc: 'Weight of the KL term.' },
    warmupSteps: { kind: 'int', default: 0, min: 0, max: 1_000_000, label: 'warm-up steps', doc: 'β grows linearly from 0 over this many steps (0: no warm-up).' },
  },
  keyParams: ['beta'],
  inferShapes(inputs) {
    const mean = need(inputs, 'mean');
    const logvar = need(inputs, 'logvar');
    if (!sameShape(mean, logvar))
      throw new NodeError(`expects mean and logvar of the same shape, got ${formatShape(mean)} and ${formatShape(logvar)}`);
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'kl',
        phase: 'main',
        trains: 'upstream',
        loss: (ctx) => {
          // Held-out evaluation reports the true objective, not the warm-up's share of it.
          const w = ctx.mode === 'train' ? klWeight(p.beta, p.warmupSteps, ctx.step) : p.beta;
          const mean = ctx.input('mean');
          const logvar = ctx.input('logvar');
          return tf.tidy(() => tf.mul(w, gaussianKl(mean, logvar)) as tf.Scalar);
        },
      },
    ];
  },
});

export const vaeNodes = [reparameterize, klDivergence];
