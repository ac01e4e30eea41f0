// Fine-tuning a generator toward a higher reward by backpropagating through it, anchored to a frozen
// reference copy of where it started: −E[r(G(z))] / s + β·E‖G(z) − G_ref(z)‖², the same z through
// both, where s is the spread of the rewards of the reference's samples.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need } from '../shape';
import { defineNode, NodeError } from '../types';
import { flatScores } from './reward-model';
import { FINE_TUNE_LEARNING_RATE, POLICY_ROLE } from './fine-tune-parts';

export const rewardTune = defineNode({
  type: 'rewardTune',
  label: 'Reward fine-tune',
  category: 'losses',
  role: 'loss',
  doc: 'Fine-tunes a generator toward what the reward model scores high, kept near a frozen copy of where it started (β).',
  inputs: [
    { id: 'reward', kind: 'tensor', score: true, doc: "The reward model's score of the generated samples." },
    { id: 'sample', kind: 'tensor', role: POLICY_ROLE, doc: 'The generated samples themselves (the generator being fine-tuned feeds this).' },
  ],
  outputs: [],
  params: {
    beta: {
      kind: 'float', default: 1, min: 0, max: 1000, step: 0.1, label: 'β',
      doc: 'Weight of the anchor ‖G(z) − G_ref(z)‖²: larger keeps the samples closer to where they started.',
    },
    learningRate: FINE_TUNE_LEARNING_RATE,
  },
  keyParams: ['beta'],
  design: { learningRateParams: ['learningRate'] },
  inferShapes(inputs) {
    const reward = need(inputs, 'reward');
    need(inputs, 'sample');
    if (reward.length > 2 || (reward.length === 2 && reward[1] !== 1))
      throw new NodeError(`expects one reward per sample [batch, 1], got ${formatShape(reward)}`);
    return {};
  },
  objectives(p) {
    return [
      {
        id: 'tune',
        phase: 'main',
        stage: 'policy',
        trains: { role: POLICY_ROLE },
        references: [POLICY_ROLE],
        heldOut: false,
        optimizer: { learningRate: p.learningRate },
        loss(ctx) {
          const reward = flatScores(ctx.input('reward'), 'reward');
          const x = ctx.input('sample');
          const ref = ctx.reference('sample');
          // Rewards in units of their spread over the reference's samples: a Bradley–Terry fit on
          // cleanly separated pairs keeps growing its scale, which would otherwise set the step size.
          const refReward = flatScores(ctx.reference('reward'), 'reward');
          const spread = tf.add(tf.sqrt(tf.moments(refReward).variance), 1e-6);
          const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
          const anchor = tf.mean(tf.sum(tf.square(tf.sub(x, ref)), axes));
          return tf.sub(tf.mul(p.beta, anchor), tf.div(tf.mean(reward), spread)) as tf.Scalar;
        },
      },
    ];
  },
});
