// The reward model: one inner network scoring the chosen and the rejected sample of each pair with
// shared weights (the discriminator group's pattern), fitted with the Bradley–Terry loss
// −log σ(r_chosen − r_rejected) (Bradley & Terry 1952; Christiano et al. 2017).
import * as tf from '@tensorflow/tfjs';
import { formatShape, need, sameShape } from '../shape';
import { defineNode, NodeError, type RunContext } from '../types';

/** The role of the reward model's network, which its loss trains and nothing else does. */
export const REWARD_ROLE = 'reward';

export const rewardModel = defineNode({
  type: 'rewardModel',
  label: 'Reward model',
  category: 'generative',
  role: 'group',
  doc: 'A group: its inner layers score the chosen and the rejected sample (and generated ones) with the same weights.',
  inputs: [
    { id: 'chosen', kind: 'tensor', doc: 'The preferred samples of each pair.' },
    { id: 'rejected', kind: 'tensor', doc: 'The other samples.' },
    { id: 'generated', kind: 'tensor', optional: true, doc: "The model's own samples, to fine-tune it toward a higher reward." },
  ],
  outputs: [
    { id: 'chosenReward', label: 'r(chosen)', kind: 'tensor' },
    { id: 'rejectedReward', label: 'r(rejected)', kind: 'tensor' },
    { id: 'generatedReward', label: 'r(generated)', kind: 'tensor' },
  ],
  params: {},
  networkRole: { downstream: REWARD_ROLE },
  group: {
    innerInput: 'innerIn',
    innerOutput: 'innerOut',
    routes: [
      { from: 'chosen', to: 'chosenReward' },
      { from: 'rejected', to: 'rejectedReward' },
      { from: 'generated', to: 'generatedReward' },
    ],
    // Text comes padded with −1 after its end token; the inner network reads the padding as more
    // end tokens (id 0), which a token embedding can look up.
    prepare: (x) => (x.dtype === 'int32' ? tf.maximum(x, tf.scalar(0, 'int32')) : x),
  },
  inferShapes(inputs) {
    const chosen = need(inputs, 'chosen');
    const rejected = need(inputs, 'rejected');
    if (!sameShape(chosen, rejected))
      throw new NodeError(`expects chosen and rejected samples of one shape, got ${formatShape(chosen)} and ${formatShape(rejected)}`);
    const generated = inputs.generated;
    if (generated && !sameShape(chosen, generated))
      throw new NodeError(`expects generated samples shaped like the pairs' ${formatShape(chosen)}, got ${formatShape(generated)}`);
    return { innerIn: chosen };
  },
});

/** [batch, 1] or [batch] scores → [batch]. */
export function flatScores(x: tf.Tensor, who: string): tf.Tensor1D {
  if (x.rank > 2 || (x.rank === 2 && x.shape[1] !== 1)) throw new NodeError(`${who}: expects one score per example, got shape [${x.shape.join(', ')}]`);
  return tf.reshape(x, [x.shape[0]]);
}

/**
 * Mean Bradley–Terry negative log-likelihood of margins d = r_chosen − r_rejected: softplus(−d) per
 * pair (= −log σ(d), stable for large |d|); a tie is half a win each way, ½softplus(−d) + ½softplus(d).
 */
export function bradleyTerryLoss(margin: tf.Tensor, tie?: tf.Tensor): tf.Scalar {
  const win = tf.softplus(tf.neg(margin));
  if (!tie) return tf.mean(win) as tf.Scalar;
  const both = tf.mul(0.5, tf.add(win, tf.softplus(margin)));
  return tf.mean(tf.add(tf.mul(tf.sub(1, tie), win), tf.mul(tie, both))) as tf.Scalar;
}

function margin(ctx: RunContext): tf.Tensor {
  return tf.sub(flatScores(ctx.input('chosen'), 'chosen'), flatScores(ctx.input('rejected'), 'rejected'));
}

export const bradleyTerry = defineNode({
  type: 'bradleyTerry',
  label: 'Bradley–Terry loss',
  category: 'losses',
  role: 'loss',
  doc: 'Fits a reward model to preference pairs: −log σ(r(chosen) − r(rejected)), ties pulled together.',
  inputs: [
    { id: 'chosen', kind: 'tensor', doc: 'Rewards of the preferred samples.', score: true },
    { id: 'rejected', kind: 'tensor', doc: 'Rewards of the other samples.', score: true },
    { id: 'tie', kind: 'tensor', optional: true, doc: '[batch] 1 where neither was preferred.' },
  ],
  outputs: [],
  params: {
    learningRate: { kind: 'float', default: 1e-3, min: 1e-6, max: 1, step: 1e-4, label: 'learning rate', doc: "The reward model's own learning rate." },
  },
  design: { learningRateParams: ['learningRate'] },
  inferShapes(inputs) {
    const c = need(inputs, 'chosen');
    const r = need(inputs, 'rejected');
    if (!sameShape(c, r)) throw new NodeError(`expects chosen and rejected rewards of one shape, got ${formatShape(c)} and ${formatShape(r)}`);
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'reward',
        phase: 'main',
        stage: 'reward',
        trains: { role: REWARD_ROLE },
        unit: 'nats',
        optimizer: { learningRate: p.learningRate },
        loss(ctx) {
          const d = margin(ctx);
          const tie = ctx.has('tie') ? ctx.input('tie') : undefined;
          return bradleyTerryLoss(d, tie);
        },
      },
    ];
  },
  preferenceScores(ctx) {
    return { score: flatScores(ctx.input('chosen'), 'chosen') };
  },
});
