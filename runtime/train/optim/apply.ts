// One optimiser update for a phase, with the training settings around Adam: the learning-rate
// schedule, gradient clipping by global norm and AdamW's decoupled weight decay (Loshchilov & Hutter
// 2019): w ← w − lr·λ·w, applied apart from Adam's moments so that the decay is not rescaled by them.
// tfjs's Adam reads its learning rate on every update, so the schedule sets it before each one.
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../graph/document';
import { clipByGlobalNorm, type NamedGrads } from './clip';
import { learningRateFactor } from './schedule';
import { optimSettings } from './settings';

export interface UpdateTarget {
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  /** The phase's own learning rate before the schedule. */
  baseLearningRate: number;
}

/** Weight matrices and filters decay; biases, norm scales and shifts do not (as in nanoGPT and BERT). */
const decays = (v: tf.Variable) => v.rank >= 2;

/**
 * Applies `grads` (disposed by the caller) at 0-based `step`. Returns the learning rate used.
 */
export function applyUpdate(target: UpdateTarget, grads: NamedGrads, step: number, training: TrainingConfig): number {
  const t = optimSettings(training);
  const lr = target.baseLearningRate * learningRateFactor(step, t);
  (target.optimizer as unknown as { learningRate: number }).learningRate = lr;
  const clipped = t.clipNorm > 0 ? clipByGlobalNorm(grads, t.clipNorm) : grads;
  if (t.weightDecay > 0 && lr > 0) {
    const keep = 1 - lr * t.weightDecay;
    tf.tidy(() => {
      for (const v of target.variables) if (decays(v) && clipped[v.name]) v.assign(tf.mul(v, keep));
    });
  }
  target.optimizer.applyGradients(clipped);
  if (clipped !== grads) tf.dispose(Object.values(clipped));
  return lr;
}
