// Diffusion-DPO (Wallace et al. 2023, "Diffusion Model Alignment Using Direct Preference Optimization",
// eq. 14): DPO for a denoiser, whose likelihood is out of reach, through its denoising errors. Each
// pair's winner x^w and loser x^l are noised with ONE step t and ONE noise ε, and
//   loss = −log σ(−β [(‖ε − ε_θ(x_t^w, t)‖² − ‖ε − ε_ref(x_t^w, t)‖²) − (‖ε − ε_θ(x_t^l, t)‖² − ‖ε − ε_ref(x_t^l, t)‖²)]).
// The paper's weight T·ω(λ_t) is taken as ω = 1 (its constant choice for ε-prediction) and T folded
// into β, so β here is the paper's β·T. At step 0 θ = ref, the bracket is 0 and the loss is ln 2.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need, sameShape } from '../shape';
import { defineNode, NodeError, type NoiseSchedule, type RunContext } from '../types';
import { bradleyTerryLoss } from './reward-model';
import { FINE_TUNE_LEARNING_RATE, POLICY_ROLE } from './fine-tune-parts';

/** Noise draws averaged when scoring single samples (a score from one t and ε is mostly noise). */
const SCORE_DRAWS = 8;

/**
 * Winners and losers noised together: one t and one ε per pair, shared by its two samples.
 * chosen, rejected [B, …] → x_t [2B, …] (winners first), t [2B, 1], ε [2B, …].
 */
export function pairNoise(
  chosen: tf.Tensor,
  rejected: tf.Tensor,
  sched: NoiseSchedule,
  tSeed: number,
  epsSeed: number,
): { xt: tf.Tensor; t: tf.Tensor; eps: tf.Tensor } {
  return tf.tidy(() => {
    const b = chosen.shape[0];
    const tInt = tf.minimum(tf.floor(tf.randomUniform([b], 0, sched.T, 'float32', tSeed)), sched.T - 1).toInt(); // (B)
    const ab = tf.gather(tf.tensor1d(sched.alphaBars), tInt).reshape([b, ...chosen.shape.slice(1).map(() => 1)]);
    const eps1 = tf.randomNormal(chosen.shape, 0, 1, 'float32', epsSeed); // (B, …)
    const noised = (x0: tf.Tensor) => tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), eps1));
    const t1 = tInt.toFloat().reshape([b, 1]);
    return { xt: tf.concat([noised(chosen), noised(rejected)]), t: tf.concat([t1, t1]), eps: tf.concat([eps1, eps1]) };
  });
}

/** ‖ε − ε̂‖² of each example: [N, …] → [N]. */
function squaredErrors(eps: tf.Tensor, pred: tf.Tensor): tf.Tensor1D {
  const axes = Array.from({ length: eps.rank - 1 }, (_, i) => i + 1);
  return tf.sum(tf.squaredDifference(eps, pred), axes) as tf.Tensor1D;
}

/**
 * ‖ε − ε_θ(x_t, t)‖² − ‖ε − ε_ref(x_t, t)‖² of each example, the denoiser fed through this node's
 * `xt` and `t` inputs (what add-noise made for the data batch is replaced by these).
 */
export function errorGaps(ctx: RunContext, xt: tf.Tensor, t: tf.Tensor, eps: tf.Tensor): tf.Tensor1D {
  const run = ctx.rerun({ xt, t });
  const pred = run.input('pred');
  if (!sameShape(pred.shape, eps.shape))
    throw new NodeError(`expects the denoiser's prediction shaped like the samples ${formatShape(eps.shape)}, got ${formatShape(pred.shape)}`, 'pred');
  return tf.sub(squaredErrors(eps, pred), squaredErrors(eps, run.reference('pred')));
}

function samplePairs(ctx: RunContext): { chosen: tf.Tensor; rejected: tf.Tensor; sched: NoiseSchedule } {
  const chosen = ctx.input('chosen');
  const rejected = ctx.input('rejected');
  if (!sameShape(chosen.shape, rejected.shape))
    throw new NodeError(`expects chosen and rejected samples of one shape, got ${formatShape(chosen.shape)} and ${formatShape(rejected.shape)}`, 'rejected');
  return { chosen, rejected, sched: ctx.value<NoiseSchedule>('schedule') };
}

export const diffusionDpo = defineNode({
  type: 'diffusionDpo',
  label: 'Diffusion-DPO loss',
  category: 'losses',
  role: 'loss',
  doc: "Fine-tunes an ε-predicting denoiser toward the chosen samples of preference pairs, each pair noised with one t and one ε, anchored to a frozen copy of where it started (β).",
  inputs: [
    { id: 'pred', kind: 'tensor', role: POLICY_ROLE, doc: "The denoiser's prediction of ε (add-noise's prediction must be eps)." },
    { id: 'xt', kind: 'tensor', doc: "Add-noise's x_t: the pairs' noised samples are fed to the denoiser in its place." },
    { id: 't', kind: 'tensor', doc: "Add-noise's t, replaced likewise by the pairs' shared steps." },
    { id: 'schedule', kind: 'schedule', doc: 'The noise schedule add-noise uses.' },
    { id: 'chosen', kind: 'tensor', doc: 'Preferred samples from a preferences node, shaped like the data.' },
    { id: 'rejected', kind: 'tensor', doc: 'The other samples, same shape.' },
    { id: 'tie', kind: 'tensor', optional: true, doc: '[batch] 1 where neither was preferred.' },
  ],
  outputs: [],
  params: {
    beta: {
      kind: 'float', default: 5, exclusiveMin: 0, max: 100_000, step: 0.5, label: 'β',
      doc: "How far the denoiser may move from where it started: larger keeps it closer (the paper's β·T, with a constant weight over t).",
    },
    learningRate: FINE_TUNE_LEARNING_RATE,
  },
  keyParams: ['beta'],
  design: {
    learningRateParams: ['learningRate'],
    upstreamParams: [{
      port: 'xt', param: 'prediction', value: 'eps',
      why: 'The loss compares each pair’s denoising errors as errors in ε; a denoiser trained to predict x0 or v would be scored against the wrong target and pushed the wrong way.',
    }],
  },
  inferShapes(inputs) {
    const pred = need(inputs, 'pred');
    const xt = need(inputs, 'xt');
    const t = need(inputs, 't');
    const chosen = need(inputs, 'chosen');
    const rejected = need(inputs, 'rejected');
    if (!sameShape(pred, xt))
      throw new NodeError(`expects the denoiser's prediction shaped like x_t, got ${formatShape(pred)} and ${formatShape(xt)}`);
    if (t.length !== 2 || t[1] !== 1) throw new NodeError(`expects add-noise's t [batch, 1], got ${formatShape(t)}`);
    for (const [name, s] of [['chosen', chosen], ['rejected', rejected]] as const)
      if (!sameShape(s.slice(1), xt.slice(1)))
        throw new NodeError(`expects ${name} samples shaped like the data ${formatShape(xt)} (a preferences node of the same kind), got ${formatShape(s)}`);
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'dpo',
        phase: 'main',
        stage: 'policy',
        trains: { role: POLICY_ROLE },
        references: [POLICY_ROLE],
        unit: 'nats',
        optimizer: { learningRate: p.learningRate },
        loss(ctx) {
          const { chosen, rejected, sched } = samplePairs(ctx);
          const b = chosen.shape[0];
          const { xt, t, eps } = pairNoise(chosen, rejected, sched, ctx.seed(), ctx.seed());
          const gaps = errorGaps(ctx, xt, t, eps); // (2B)
          // The winner's error falling relative to the reference's, more than the loser's, raises the margin.
          const margin = tf.mul(-p.beta, tf.sub(tf.slice(gaps, [0], [b]), tf.slice(gaps, [b], [b])));
          return bradleyTerryLoss(margin, ctx.has('tie') ? ctx.input('tie') : undefined);
        },
      },
    ];
  },
  // The implicit reward of each chosen sample, −β·(error gap), averaged over several t and ε.
  preferenceScores(ctx) {
    const x = ctx.input('chosen');
    const sched = ctx.value<NoiseSchedule>('schedule');
    const n = x.shape[0];
    const many = tf.concat(Array.from({ length: SCORE_DRAWS }, () => x));
    const { xt, t, eps } = pairNoise(many, many, sched, ctx.seed(), ctx.seed());
    const half = n * SCORE_DRAWS;
    const gaps = errorGaps(ctx, tf.slice(xt, 0, half), tf.slice(t, 0, half), tf.slice(eps, 0, half));
    return { score: tf.mul(-ctx.params.beta, tf.mean(tf.reshape(gaps, [SCORE_DRAWS, n]), 0)) };
  },
});
