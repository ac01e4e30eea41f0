// examples/gan-ring.json by hand: MLP generator 16 → 128 → 128 → 2 and MLP discriminator
// 2 → 128 → 128 → 1 (leaky ReLU 0.2), non-saturating loss with an R1 penalty γ = 1 on real points,
// Adam 1e-3 β = (0.5, 0.99).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../runtime/data/rng';
import { adamStep, batchOf, dataset, varsOf, type HandBuilder } from './common';

export const ganRing: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('ring');
  const rng = new Rng(seed);
  const G = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [16], units: 128 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 128 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 2 }),
    ],
  });
  const D = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 128 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 128 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  const dOpt = tf.train.adam(1e-3, 0.5, 0.99);
  const gOpt = tf.train.adam(1e-3, 0.5, 0.99);
  const dVars = varsOf(D);
  const gVars = varsOf(G);
  const d = (x: tf.Tensor) => D.apply(x, { training: true }) as tf.Tensor;
  const g = (z: tf.Tensor) => G.apply(z, { training: true }) as tf.Tensor;
  return {
    step() {
      tf.tidy(() => {
        const real = batchOf(ds, B, rng);
        adamStep(dOpt, dVars, () => {
          const gradReal = tf.grad((x: tf.Tensor) => tf.sum(d(x)))(real);
          const r1 = tf.mul(0.5, tf.mean(tf.sum(tf.square(gradReal), 1)));
          return tf.addN([tf.mean(tf.softplus(tf.neg(d(real)))), tf.mean(tf.softplus(d(g(tf.randomNormal([B, 16]))))), r1]) as tf.Scalar;
        });
        adamStep(gOpt, gVars, () => tf.mean(tf.softplus(tf.neg(d(g(tf.randomNormal([B, 16])))))) as tf.Scalar);
      });
    },
    dispose() {
      [dOpt, gOpt, G, D].forEach((x) => x.dispose());
    },
  };
};
