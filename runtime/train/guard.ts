// The divergence guard: a step whose loss or gradients are not finite is refused before its update
// is applied, so the weights stay those of the last good step. The check is one reduction over all
// gradients, read in the same transfer as the losses the step reads anyway.
import * as tf from '@tensorflow/tfjs';

/** What stopped training, for the error event, the app's banner and the CLI's exit code. */
export interface Divergence {
  /** The step that would have been applied (the weights are those after `step` good steps). */
  step: number;
  /** Objective keys (`<lossNode>.<objective>`) of the phase that diverged. */
  objectives: string[];
  /** Which part went bad: a loss value, or only the gradients. */
  where: 'loss' | 'gradients';
  /** The loss values read at that step (NaN, ±Infinity or finite). */
  losses: Record<string, number>;
}

export class DivergenceError extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergenceMessage(divergence));
    this.name = 'DivergenceError';
  }
}

export function divergenceMessage(d: Divergence): string {
  const names = d.objectives.map((k) => `"${k}"`).join(', ');
  const bad = d.where === 'loss'
    ? `the loss of ${names} became ${Object.entries(d.losses).filter(([, v]) => !Number.isFinite(v)).map(([, v]) => String(v)).join(', ') || 'non-finite'}`
    : `the gradients of ${names} became non-finite (NaN or Infinity)`;
  return `training diverged at step ${d.step + 1}: ${bad}. The weights after step ${d.step} are kept. ` +
    'Try a lower learning rate (a tenth of it), gradient clipping, or a smaller loss weight.';
}

/**
 * The step's losses with one more entry appended: the sum of every gradient entry. NaN or
 * ±Infinity anywhere makes that sum non-finite; so does a sum past float32's range, which only
 * gradients that would overflow the optimizer's squared moments reach.
 */
export function withGradientCheck(losses: tf.Scalar[], grads: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = grads.map((g) => g.reshape([-1]));
    const total = flat.length === 0 ? tf.zeros([1]) : tf.sum(flat.length === 1 ? flat[0] : tf.concat(flat)).reshape([1]);
    return tf.concat([...losses.map((l) => l.reshape([1])), total]) as tf.Tensor1D;
  });
}

/** Throws a DivergenceError when a read (losses then the gradient sum) holds a non-finite value. */
export function checkFinite(read: ArrayLike<number>, keys: string[], step: number): void {
  let lossBad = false;
  for (let i = 0; i < keys.length; i++) if (!Number.isFinite(read[i])) lossBad = true;
  const gradBad = !Number.isFinite(read[keys.length]);
  if (!lossBad && !gradBad) return;
  const losses: Record<string, number> = {};
  keys.forEach((k, i) => (losses[k] = read[i]));
  throw new DivergenceError({ step, objectives: keys, where: lossBad ? 'loss' : 'gradients', losses });
}
