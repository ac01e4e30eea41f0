// The non-saturating GAN training step every hand-written GAN shares: one Adam step of the
// discriminator on a real batch and a generated one (plus an optional R1 penalty on the real batch),
// then one of the generator. Adam 2e-4, β = (0.5, 0.999) unless the model says otherwise.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../nodes/rng';
import { adamStep, batchOf, varsOf, type HandWritten } from './common';
import type { LoadedDataset } from '../../runtime/data/datasets';
import { registerComparisonGradients } from '../../nodes/losses';

export interface GanParts {
  G: tf.LayersModel;
  D: tf.LayersModel;
  noise: number;
  ds: LoadedDataset;
  batchSize: number;
  seed: number;
  adam?: { learningRate: number; beta1: number; beta2: number };
  /** γ of the R1 penalty γ/2·E‖∇D(x_real)‖² (Mescheder et al. 2018); 0 or absent: none. */
  r1?: number;
}

export function nonSaturatingGan({ G, D, noise, ds, batchSize: B, seed, adam, r1 = 0 }: GanParts): HandWritten {
  if (r1 > 0) registerComparisonGradients();
  const rng = new Rng(seed);
  const { learningRate, beta1, beta2 } = adam ?? { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 };
  const dOpt = tf.train.adam(learningRate, beta1, beta2);
  const gOpt = tf.train.adam(learningRate, beta1, beta2);
  const dVars = varsOf(D);
  const gVars = varsOf(G);
  const d = (x: tf.Tensor) => D.apply(x, { training: true }) as tf.Tensor;
  const g = (z: tf.Tensor) => G.apply(z, { training: true }) as tf.Tensor;
  return {
    step() {
      tf.tidy(() => {
        const real = batchOf(ds, B, rng);
        adamStep(dOpt, dVars, () => {
          const loss = tf.add(tf.mean(tf.softplus(tf.neg(d(real)))), tf.mean(tf.softplus(d(g(tf.randomNormal([B, noise]))))));
          if (r1 === 0) return loss as tf.Scalar;
          const gradReal = tf.grad((x: tf.Tensor) => tf.sum(d(x)))(real);
          return tf.add(loss, tf.mul(r1 / 2, tf.mean(tf.sum(tf.square(gradReal), 1)))) as tf.Scalar;
        });
        adamStep(gOpt, gVars, () => tf.mean(tf.softplus(tf.neg(d(g(tf.randomNormal([B, noise])))))) as tf.Scalar);
      });
    },
    dispose() {
      [dOpt, gOpt, G, D].forEach((x) => x.dispose());
    },
  };
}
