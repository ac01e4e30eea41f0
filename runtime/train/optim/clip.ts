// Gradient clipping by global norm (Pascanu et al. 2013; tf.clip_by_global_norm): when the L2 norm of
// all of a phase's gradients together exceeds `maxNorm`, every gradient is scaled by maxNorm / norm,
// so the update keeps its direction.
import * as tf from '@tensorflow/tfjs';

export type NamedGrads = Record<string, tf.Tensor>;

/** The L2 norm of all the gradients taken as one vector. */
export function globalNorm(grads: NamedGrads): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** New gradients scaled to a global norm of at most `maxNorm`; the caller disposes both sets. */
export function clipByGlobalNorm(grads: NamedGrads, maxNorm: number): NamedGrads {
  const names = Object.keys(grads);
  if (names.length === 0) return {};
  return tf.tidy(() => {
    const norm = globalNorm(grads);
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    const out: NamedGrads = {};
    for (const n of names) out[n] = tf.mul(grads[n], scale);
    return out;
  });
}
