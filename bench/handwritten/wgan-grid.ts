// examples/wgan-grid.json by hand: MLP generator 16 → 128 → 128 → 2 and MLP critic 2 → 128 → 128 → 1
// (leaky ReLU 0.2) on the 5×5 grid; WGAN-GP (Gulrajani et al. 2017): per generator step, 5 critic
// steps, each on a fresh real batch and fresh noise, minimising E[D(fake)] − E[D(real)] plus
// λ = 0.1 times (‖∇D(x̂)‖₂ − 1)² on random interpolates x̂; then the generator minimises −E[D(G(z))].
// Adam 1e-3 β = (0.5, 0.9) for both.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../nodes/rng';
import { adamStep, batchOf, dataset, leakyMlp, varsOf, type HandBuilder } from './common';
import { registerComparisonGradients } from '../../nodes/losses';

const Z = 16;
const CRITIC_STEPS = 5;
const GP_WEIGHT = 0.1;

export const wganGrid: HandBuilder = async ({ batchSize: B, seed }) => {
  registerComparisonGradients();
  const ds = await dataset('grid');
  const rng = new Rng(seed);
  const G = leakyMlp([Z, 128, 128, 2]);
  const D = leakyMlp([2, 128, 128, 1]);
  const dOpt = tf.train.adam(1e-3, 0.5, 0.9);
  const gOpt = tf.train.adam(1e-3, 0.5, 0.9);
  const dVars = varsOf(D);
  const gVars = varsOf(G);
  const d = (x: tf.Tensor) => D.apply(x, { training: true }) as tf.Tensor;
  const g = (z: tf.Tensor) => G.apply(z, { training: true }) as tf.Tensor;

  const gradientPenalty = (real: tf.Tensor, fake: tf.Tensor): tf.Scalar => {
    const eps = tf.randomUniform([B, 1]);
    const xHat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
    const grad = tf.grad((x: tf.Tensor) => tf.sum(d(x)))(xHat);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12));
    return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
  };

  return {
    step() {
      for (let k = 0; k < CRITIC_STEPS; k++) {
        tf.tidy(() => {
          const real = batchOf(ds, B, rng);
          adamStep(dOpt, dVars, () => {
            const fake = g(tf.randomNormal([B, Z]));
            const w = tf.sub(tf.mean(d(fake)), tf.mean(d(real)));
            return tf.add(w, tf.mul(GP_WEIGHT, gradientPenalty(real, fake))) as tf.Scalar;
          });
        });
      }
      tf.tidy(() => void adamStep(gOpt, gVars, () => tf.neg(tf.mean(d(g(tf.randomNormal([B, Z]))))) as tf.Scalar));
    },
    dispose() {
      [dOpt, gOpt, G, D].forEach((x) => x.dispose());
    },
  };
};
