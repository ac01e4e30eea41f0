// REINFORCE for a language model against a reward model (Williams 1992), with the per-token KL
// penalty to a frozen reference of RLHF (Ziegler et al. 2019; Ouyang et al. 2022): each step draws
// names from the model itself, scores them with the reward model, and pushes up the log-probability
// of each token by its advantage
//   A_t = (r − b) / s − β Σ_{t' ≥ t} (log π(y_t') − log π_ref(y_t')),
// b the mean reward of the other names of the batch (a baseline that leaves the gradient unbiased),
// s the batch's reward spread (a Bradley–Terry fit has no fixed scale), the KL term summed to the end
// of the name as a return from that token on.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need } from '../shape';
import { defineNode, NodeError } from '../types';
import { inputsAndTargets, logRatios, tokenLogProbs } from './dpo';
import { flatScores } from './reward-model';
import { FINE_TUNE_LEARNING_RATE, LANGUAGE_MODEL_INPUTS, languageModelContext, POLICY_ROLE } from './fine-tune-parts';

/**
 * Per-token advantages [B·T] from the tokens' log-probabilities under the model and the reference,
 * the mask of real tokens and one reward per sequence (all row-major [B, T]). Plain numbers: the
 * advantages weigh the gradient and carry none themselves.
 */
export function reinforceAdvantages(
  logp: ArrayLike<number>, refLogp: ArrayLike<number>, mask: ArrayLike<number>, reward: ArrayLike<number>, T: number, beta: number,
): Float32Array {
  const B = reward.length;
  if (logp.length !== B * T || refLogp.length !== B * T || mask.length !== B * T)
    throw new Error(`reinforce: expected ${B} × ${T} token log-probabilities for ${B} rewards, got ${logp.length}, ${refLogp.length} and mask ${mask.length}`);
  let sum = 0;
  for (let i = 0; i < B; i++) sum += reward[i];
  const mean = sum / B;
  let sq = 0;
  for (let i = 0; i < B; i++) sq += (reward[i] - mean) ** 2;
  const spread = B > 1 ? Math.sqrt(sq / (B - 1)) : 0;
  // All rewards alike: nothing to learn from them, only the KL term acts.
  const scale = spread > 1e-8 ? 1 / spread : 0;
  const out = new Float32Array(B * T);
  for (let i = 0; i < B; i++) {
    const baseline = B > 1 ? (sum - reward[i]) / (B - 1) : reward[i];
    const fromReward = (reward[i] - baseline) * scale;
    let klToGo = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = i * T + t;
      if (mask[k] === 0) continue;
      klToGo += logp[k] - refLogp[k];
      out[k] = fromReward - beta * klToGo;
    }
  }
  return out;
}

/** The surrogate loss −(1/B) Σ A_t log π(y_t), whose gradient is the REINFORCE estimate's negative. */
export function reinforceSurrogate(logp: tf.Tensor2D, advantages: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.div(tf.sum(tf.mul(advantages, logp)), logp.shape[0])) as tf.Scalar;
}

export const reinforce = defineNode({
  type: 'reinforce',
  label: 'REINFORCE loss (KL to reference)',
  category: 'losses',
  role: 'loss',
  doc: "Fine-tunes a language model toward names its reward model scores high, drawing them inside each step, with a per-token KL penalty (β) to a frozen copy of where it started.",
  inputs: [
    ...LANGUAGE_MODEL_INPUTS,
    { id: 'reward', kind: 'tensor', score: true, doc: "Any output of the reward model group: its inner network scores the model's own names." },
  ],
  outputs: [],
  params: {
    beta: {
      kind: 'float', default: 0.1, min: 0, max: 100, step: 0.05, label: 'β',
      doc: 'Weight of the per-token KL penalty log π − log π_ref: larger keeps the model closer to where it started.',
    },
    learningRate: FINE_TUNE_LEARNING_RATE,
  },
  keyParams: ['beta'],
  design: { learningRateParams: ['learningRate'] },
  inferShapes(inputs) {
    const logits = need(inputs, 'logits');
    const tokens = need(inputs, 'tokens');
    const reward = need(inputs, 'reward');
    languageModelContext(logits, tokens);
    if (reward.length > 2 || (reward.length === 2 && reward[1] !== 1))
      throw new NodeError(`expects one reward per name [batch, 1] from a reward model group, got ${formatShape(reward)}`);
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'reinforce',
        phase: 'main',
        stage: 'policy',
        trains: { role: POLICY_ROLE },
        references: [POLICY_ROLE],
        heldOut: false,
        optimizer: { learningRate: p.learningRate },
        loss(ctx) {
          const group = ctx.groupBehind('reward');
          if (!group) throw new NodeError('input "reward" must come from a reward model group, whose inner network scores the drawn names', 'reward');
          const seqs = ctx.sample(ctx.batchSize); // (B, T + 1) int32, −1 after the end
          const { tokens, targets } = inputsAndTargets(seqs);
          const run = ctx.rerun({ tokens });
          const logp = tokenLogProbs(run.input('logits'), targets); // (B, T)
          const refLogp = tokenLogProbs(run.reference('logits'), targets); // (B, T)
          const reward = flatScores(group.apply(seqs), 'reward'); // (B)
          const mask = tf.cast(tf.greaterEqual(targets, 0), 'float32');
          const T = targets.shape[1]!;
          const adv = reinforceAdvantages(logp.dataSync(), refLogp.dataSync(), mask.dataSync(), reward.dataSync(), T, p.beta);
          return reinforceSurrogate(logp, tf.tensor2d(adv, [seqs.shape[0], T]));
        },
      },
    ];
  },
  // The reward model's score of the pairs' chosen names, and how far the model has moved on them.
  preferenceScores(ctx) {
    const group = ctx.groupBehind('reward');
    if (!group) throw new NodeError('input "reward" must come from a reward model group', 'reward');
    const chosen = group.input('chosen');
    return { score: flatScores(group.apply(chosen), 'reward'), logRatio: logRatios(ctx, chosen) };
  },
});
