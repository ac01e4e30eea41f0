// Group normalisation as one op with its own gradient. Autodiff through tf.moments and the
// broadcasts of a grouped (B, P, G, C/G) tensor runs a dozen reductions and broadcast-gradient sums a
// layer: in the small diffusion U-Net, about a fifth of a training step's time (among them 30 Sum and
// some 100 Cast kernels a step). The closed-form gradient needs two group means:
//   x̂ = (x − μ)·r,  r = 1/√(σ² + ε),  y = γ·x̂ + β
//   ∂x = r·(g − mean(g) − x̂·mean(g·x̂)),  g = γ·∂y (dxHat below),  means over each group's positions
//   and channels.
// A mean over a group's channels (the innermost axis) and positions is taken innermost first: wasm's
// reductions transpose their input unless the reduced axes come last, and after the first step the
// tensor left to transpose is C/G times smaller.
import * as tf from '@tensorflow/tfjs';

/** The mean over axes 1 and 3 of (B, P, G, k), kept as (B, 1, G, 1). */
function groupMean(t: tf.Tensor4D): tf.Tensor4D {
  return tf.mean(tf.mean(t, 3, true), 1, true);
}

/** GroupNorm of `x` (B, …, C) with per-channel `gamma` and `beta` (C), over `groups` channel groups. */
export function groupNormOp(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, groups: number, epsilon: number): tf.Tensor {
  const c = x.shape[x.rank - 1];
  const grouped: [number, number, number, number] = [x.shape[0], -1, groups, c / groups];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const g4 = tf.reshape(xs, grouped) as tf.Tensor4D; // (B, P, G, C/G)
    const centred = tf.sub(g4, groupMean(g4)) as tf.Tensor4D;
    const r = tf.rsqrt(tf.add(groupMean(tf.square(centred)), epsilon));
    const xHat = tf.mul(centred, r) as tf.Tensor4D;
    save([xHat, r, g]);
    return {
      value: tf.add(tf.mul(tf.reshape(xHat, xs.shape), g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gm] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
        const outer = [...Array(dy.rank - 1).keys()];
        const dGamma = tf.sum(tf.mul(dy, tf.reshape(xh, dy.shape)), outer);
        const dBeta = tf.sum(dy, outer);
        const dxHat = tf.reshape(tf.mul(dy, gm), grouped) as tf.Tensor4D;
        const dx = tf.mul(rs, tf.sub(tf.sub(dxHat, groupMean(dxHat)), tf.mul(xh, groupMean(tf.mul(dxHat, xh) as tf.Tensor4D))));
        return [tf.reshape(dx, dy.shape), dGamma, dBeta];
      },
    };
  });
  return op(x, gamma, beta);
}
