// Direct preference optimisation (Rafailov et al. 2023): fine-tunes a language model on preference
// pairs with no reward model, against a frozen reference copy of where it started:
//   −log σ(β [(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]).
// Log-probabilities are exact sums over each name's tokens; at step 0 π = π_ref and the loss is ln 2.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need } from '../shape';
import { defineNode, NodeError, type RunContext } from '../types';
import { bradleyTerryLoss } from './reward-model';
import { FINE_TUNE_LEARNING_RATE, LANGUAGE_MODEL_INPUTS, POLICY_ROLE, languageModelContext } from './fine-tune-parts';

/**
 * log p of each target token: log softmax(logits)[target], 0 where the target is below 0 (padding).
 * logits [N, T, V], targets [N, T] int32 → [N, T].
 */
export function tokenLogProbs(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor2D {
  const V = logits.shape[logits.rank - 1];
  const mask = tf.cast(tf.greaterEqual(targets, 0), 'float32'); // (N, T)
  // One-hot instead of a gather: gather's gradient has no wasm kernel, and V is a few dozen.
  const oneHot = tf.oneHot(tf.cast(tf.maximum(targets, 0), 'int32'), V); // (N, T, V)
  const picked = tf.sum(tf.mul(tf.cast(oneHot, 'float32'), tf.logSoftmax(logits)), -1); // (N, T)
  return tf.mul(picked, mask) as tf.Tensor2D;
}

/** log p of each sequence: the sum of its tokens' log-probabilities. logits [N, T, V], targets [N, T] → [N]. */
export function sequenceLogProbs(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.sum(tokenLogProbs(logits, targets), -1) as tf.Tensor1D;
}

/** Padded sequences [N, T + 1] → model input [N, T] (padding read as the end token) and targets [N, T]. */
export function inputsAndTargets(seqs: tf.Tensor): { tokens: tf.Tensor; targets: tf.Tensor } {
  const [n, len] = seqs.shape as [number, number];
  const tokens = tf.maximum(tf.slice(seqs, [0, 0], [n, len - 1]), tf.scalar(0, 'int32'));
  return { tokens: tf.cast(tokens, 'int32'), targets: tf.slice(seqs, [0, 1], [n, len - 1]) };
}

/** log π(y) − log π_ref(y) for each sequence of `seqs`, the network fed through this node's `tokens` input. */
export function logRatios(ctx: RunContext, seqs: tf.Tensor): tf.Tensor1D {
  const { tokens, targets } = inputsAndTargets(seqs);
  const pairs = ctx.rerun({ tokens });
  return tf.sub(sequenceLogProbs(pairs.input('logits'), targets), sequenceLogProbs(pairs.reference('logits'), targets));
}

export const dpo = defineNode({
  type: 'dpo',
  label: 'DPO loss',
  category: 'losses',
  role: 'loss',
  doc: 'Fine-tunes a language model toward the chosen texts of preference pairs, anchored to a frozen copy of where it started (β).',
  inputs: [
    ...LANGUAGE_MODEL_INPUTS,
    { id: 'chosen', kind: 'tensor', dtype: 'int32', doc: 'Preferred texts [batch, T + 1] from a preferences node.' },
    { id: 'rejected', kind: 'tensor', dtype: 'int32', doc: 'The other texts [batch, T + 1].' },
    { id: 'tie', kind: 'tensor', optional: true, doc: '[batch] 1 where neither was preferred.' },
  ],
  outputs: [],
  params: {
    beta: {
      kind: 'float', default: 0.1, exclusiveMin: 0, max: 100, step: 0.05, label: 'β',
      doc: 'How far the model may move from where it started: larger keeps it closer (the reward is β·log π/π_ref).',
    },
    learningRate: FINE_TUNE_LEARNING_RATE,
  },
  keyParams: ['beta'],
  design: { learningRateParams: ['learningRate'] },
  inferShapes(inputs) {
    const logits = need(inputs, 'logits');
    const tokens = need(inputs, 'tokens');
    const chosen = need(inputs, 'chosen');
    const rejected = need(inputs, 'rejected');
    const T = languageModelContext(logits, tokens);
    for (const [name, s] of [['chosen', chosen], ['rejected', rejected]] as const)
      if (s.length !== 2 || s[1] !== (T === null ? null : T + 1))
        throw new NodeError(`expects ${name} texts [batch, T + 1] = [batch, ${T === null ? '?' : T + 1}] (a preferences node of kind text with the same context), got ${formatShape(s)}`);
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
          const chosen = ctx.input('chosen');
          const rejected = ctx.input('rejected');
          const tie = ctx.has('tie') ? ctx.input('tie') : undefined;
          const b = chosen.shape[0];
          const ratio = logRatios(ctx, tf.concat([chosen, rejected], 0)); // (2B)
          const margin = tf.mul(p.beta, tf.sub(tf.slice(ratio, [0], [b]), tf.slice(ratio, [b], [b])));
          return bradleyTerryLoss(margin, tie);
        },
      },
    ];
  },
  preferenceScores(ctx) {
    const logRatio = logRatios(ctx, ctx.input('chosen'));
    return { score: tf.mul(ctx.params.beta, logRatio), logRatio };
  },
});
