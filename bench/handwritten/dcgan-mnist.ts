// A DCGAN on MNIST by hand: G 100 → dense 7·7·128 (batch norm, leaky ReLU) → 5×5 stride-2
// transposed convs to 14×14×64 (batch norm, leaky ReLU) and 28×28×1 (tanh); D 5×5 stride-2 convs
// 1 → 64 → 128 (leaky ReLU 0.2) → dense 1; non-saturating loss, Adam 2e-4 β1 0.5.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../runtime/data/rng';
import { adamStep, batchOf, dataset, varsOf, type HandBuilder } from './common';

const Z = 100;

export const dcganMnist: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('mnist');
  const rng = new Rng(seed);
  const G = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [Z], units: 7 * 7 * 128, useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.reshape({ targetShape: [7, 7, 128] }),
      tf.layers.conv2dTranspose({ filters: 64, kernelSize: 5, strides: 2, padding: 'same', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  });
  const D = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 5, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 128, kernelSize: 5, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1 }),
    ],
  });
  const dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const dVars = varsOf(D);
  const gVars = varsOf(G);
  const d = (x: tf.Tensor) => D.apply(x, { training: true }) as tf.Tensor;
  const g = (z: tf.Tensor) => G.apply(z, { training: true }) as tf.Tensor;
  return {
    step() {
      tf.tidy(() => {
        const real = batchOf(ds, B, rng);
        adamStep(dOpt, dVars, () =>
          tf.add(tf.mean(tf.softplus(tf.neg(d(real)))), tf.mean(tf.softplus(d(g(tf.randomNormal([B, Z])))))),
        );
        adamStep(gOpt, gVars, () => tf.mean(tf.softplus(tf.neg(d(g(tf.randomNormal([B, Z])))))) as tf.Scalar);
      });
    },
    dispose() {
      [dOpt, gOpt, G, D].forEach((x) => x.dispose());
    },
  };
};
