// The diffusion pipeline: a noise schedule, the forward process q(x_t | x_0), and the ε-prediction loss.
import * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError, type NoiseSchedule } from '../types';
import { formatShape, need, sameShape } from '../shape';
import { labelDropout } from './label-dropout';
import { diffusionSampler } from './sampling';
import { makeSchedule, SAMPLERS, SCHEDULE_KINDS, VARIANCES } from './schedules';
import { PREDICTIONS, predictionTarget, WEIGHTINGS, type Prediction, type Weighting } from './sampler';

export const noiseSchedule = defineNode({
  type: 'noiseSchedule',
  label: 'Noise schedule',
  category: 'generative',
  role: 'source',
  doc: 'The β schedule of a diffusion model (linear or cosine over T steps) and how to sample from it.',
  inputs: [],
  outputs: [{ id: 'schedule', label: 'schedule', kind: 'schedule' }],
  params: {
    kind: { kind: 'enum', default: 'linear', options: SCHEDULE_KINDS, doc: 'linear (Ho et al. 2020) or cosine (Nichol & Dhariwal 2021).' },
    T: { kind: 'int', default: 1000, min: 10, max: 1000, doc: 'Diffusion steps.' },
    sampler: { kind: 'enum', default: 'ddim', options: SAMPLERS, doc: 'DDPM walks all T steps back; DDIM may skip steps.' },
    sampleSteps: { kind: 'int', default: 50, min: 1, max: 1000, label: 'sample steps', doc: 'Reverse steps when sampling with DDIM; capped at T.' },
    eta: { kind: 'float', default: 0, min: 0, max: 1, step: 0.1, doc: 'DDIM noise: 0 deterministic, 1 as stochastic as DDPM.' },
    variance: { kind: 'enum', default: 'posterior', options: VARIANCES, doc: 'DDPM noise per reverse step: the posterior’s β̃ or β itself (σ² = β, as the KAIST assignment samples).' },
    guidance: {
      kind: 'float',
      default: 1,
      min: 0,
      max: 20,
      step: 0.5,
      doc: 'Classifier-free guidance for a class-conditional denoiser: 0 unconditional, 1 conditional, above 1 stronger class likeness.',
    },
  },
  keyParams: ['kind', 'T', 'sampler'],
  requires: [{ type: 'addNoise', where: 'downstream', message: 'feeds no add-noise node, so nothing is diffused or denoised' }],
  inferShapes() {
    // A schedule is a value, not a tensor: it has no shape to show.
    return { schedule: [] };
  },
  run(ctx) {
    const p = ctx.params;
    // Capped at T so lowering T never invalidates a default; reverseSteps says which count a run uses.
    const opts = { sampler: p.sampler, sampleSteps: Math.min(p.sampleSteps, p.T), eta: p.eta, variance: p.variance, guidance: p.guidance };
    return { schedule: makeSchedule(p.kind, p.T, opts) };
  },
});

export const addNoise = defineNode({
  type: 'addNoise',
  label: 'Add noise',
  category: 'generative',
  role: 'op',
  doc: 'Forward diffusion: picks t per example and returns x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε, with t, the denoiser’s target (ε, x0 or v) and each example’s loss weight (uniform or min-SNR).',
  inputs: [
    { id: 'x0', label: 'x0', kind: 'tensor', doc: 'Clean examples.' },
    { id: 'schedule', label: 'schedule', kind: 'schedule' },
  ],
  outputs: [
    { id: 'xt', label: 'x_t', kind: 'tensor', doc: 'Noised examples.' },
    { id: 't', label: 't', kind: 'tensor', doc: 'The step of each example, [batch, 1], whole numbers in [0, T).' },
    // The id stays `eps` so saved graphs keep their wires; what it carries follows `prediction`.
    { id: 'eps', label: 'target', kind: 'tensor', doc: 'What the denoiser learns to predict: the noise ε that was added, x0 or v, as `prediction` says.' },
    { id: 'weight', label: 'weight', kind: 'tensor', doc: 'Each example’s loss weight, [batch, 1], as `weighting` says (1 when uniform): wire it to the noise prediction loss.' },
  ],
  params: {
    prediction: {
      kind: 'enum',
      default: 'eps',
      options: PREDICTIONS,
      doc: 'The denoiser’s target, used by training and by sampling alike: eps (the noise), x0 (the clean data) or v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans & Ho 2022).',
    },
    weighting: {
      kind: 'enum',
      default: 'uniform',
      options: WEIGHTINGS,
      doc: 'Loss weight per example: uniform, or min-SNR (Hang et al. 2023), which caps the weight of the nearly clean steps at SNR γ in x0 terms so the noisy steps that shape a sample get their share.',
    },
    snrGamma: { kind: 'float', default: 5, min: 0.1, max: 100, step: 0.5, label: 'SNR γ', doc: 'min-SNR: the signal-to-noise ratio ᾱ/(1−ᾱ) above which a step’s weight stops growing.' },
  },
  keyParams: ['prediction', 'weighting'],
  wiredOutputs: (p) => (p.weighting === 'uniform' ? [] : [{ port: 'weight', message: 'weights its loss by min-SNR, but its weight output is not wired: wire it to the noise prediction loss’s weight input' }]),
  networkRole: { downstream: 'denoiser' },
  sampler: diffusionSampler,
  requires: [{ type: 'noisePrediction', where: 'downstream', message: 'needs a noise prediction loss comparing the denoiser’s output with its ε' }],
  inferShapes(inputs) {
    const x = need(inputs, 'x0');
    if (x.length < 2) throw new NodeError(`expects input x0 [batch, …], got ${formatShape(x)}`);
    return { xt: [...x], t: [x[0], 1], eps: [...x], weight: [x[0], 1] };
  },
  run(ctx) {
    const x0 = ctx.input('x0');
    const sched = ctx.value<NoiseSchedule>('schedule');
    const { prediction, weighting, snrGamma } = ctx.params;
    const { xt, t, target, weight } = forwardNoise(x0, sched, ctx.seed(), ctx.seed(), prediction, { weighting, gamma: snrGamma });
    return { xt, t, eps: target, weight };
  },
});

/**
 * q(x_t | x_0) for a random t per example. `t` is float32 [batch, 1] so it enters a LayersModel
 * like any other input; its values are whole numbers. `target` is what a denoiser of the given
 * prediction kind learns (ε itself by default).
 */
export function forwardNoise(
  x0: tf.Tensor,
  sched: NoiseSchedule,
  tSeed: number,
  epsSeed: number,
  prediction: Prediction = 'eps',
  loss: { weighting: Weighting; gamma: number } = { weighting: 'uniform', gamma: 5 },
): { xt: tf.Tensor; t: tf.Tensor; target: tf.Tensor; weight: tf.Tensor } {
  return tf.tidy(() => {
    const n = x0.shape[0];
    // floor(U[0, T)) is uniform over the integers 0 … T-1; the min guards the float edge case.
    const tInt = tf.minimum(tf.floor(tf.randomUniform([n], 0, sched.T, 'float32', tSeed)), sched.T - 1).toInt();
    const bars = tf.gather(tf.tensor1d(sched.alphaBars), tInt);
    const bshape = [n, ...x0.shape.slice(1).map(() => 1)];
    const ab = bars.reshape(bshape);
    const eps = tf.randomNormal(x0.shape, 0, 1, 'float32', epsSeed);
    const xt = tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), eps));
    const weight = lossWeight(loss.weighting, prediction, bars, loss.gamma).reshape([n, 1]);
    return { xt, t: tInt.toFloat().reshape([n, 1]), target: predictionTarget(prediction, x0, eps, ab), weight };
  });
}

/**
 * Per-example loss weights from ᾱ_t. min-SNR-γ weighs the x0 error by min(SNR, γ), SNR = ᾱ/(1−ᾱ);
 * an ε error is the x0 error times SNR and a v error times SNR + 1, so those divide it out.
 */
export function lossWeight(weighting: Weighting, prediction: Prediction, alphaBars: tf.Tensor, gamma: number): tf.Tensor {
  return tf.tidy(() => {
    if (weighting === 'uniform') return tf.onesLike(alphaBars);
    const snr = tf.div(alphaBars, tf.sub(1, alphaBars));
    const capped = tf.minimum(snr, gamma);
    if (prediction === 'x0') return capped;
    return tf.div(capped, prediction === 'eps' ? snr : tf.add(snr, 1));
  });
}

export const noisePrediction = defineNode({
  type: 'noisePrediction',
  label: 'Noise prediction loss',
  category: 'losses',
  role: 'loss',
  doc: 'Diffusion training loss: mean squared error between the denoiser’s prediction and add-noise’s target (ε, x0 or v), each example weighted by add-noise’s weight when it is wired.',
  inputs: [
    { id: 'pred', label: 'prediction', kind: 'tensor', doc: 'The denoiser’s prediction.' },
    { id: 'eps', label: 'target', kind: 'tensor', doc: 'Add-noise’s target: the noise ε it added, or x0 or v as its `prediction` says.' },
    { id: 'weight', label: 'weight', kind: 'tensor', optional: true, doc: 'Add-noise’s per-example weights [batch, 1]; unwired, every example counts the same.' },
  ],
  outputs: [],
  params: {},
  inferShapes(inputs) {
    const pred = need(inputs, 'pred');
    const eps = need(inputs, 'eps');
    if (!sameShape(pred, eps))
      throw new NodeError(`expects pred and eps of the same shape, got ${formatShape(pred)} and ${formatShape(eps)}`);
    const w = inputs.weight;
    if (w && !(w.length === 2 && w[0] === pred[0] && w[1] === 1))
      throw new NodeError(`expects weight [batch, 1] for a batch of ${pred[0]}, got ${formatShape(w)}`);
    return {};
  },
  objectives() {
    return [
      {
        id: 'mse',
        phase: 'main',
        trains: 'upstream',
        loss: (ctx) =>
          tf.tidy(() => {
            const sq = tf.squaredDifference(ctx.input('pred'), ctx.input('eps'));
            if (!ctx.has('weight')) return tf.mean(sq) as tf.Scalar;
            // The mean over each example's values, weighted, then over the batch: uniform weights give the plain mean.
            const perExample = tf.mean(sq.reshape([sq.shape[0], -1]), 1);
            return tf.mean(tf.mul(perExample, ctx.input('weight').reshape([-1]))) as tf.Scalar;
          }),
      },
    ];
  },
});

export const diffusionNodes = [noiseSchedule, addNoise, noisePrediction, labelDropout];
