// examples/dcgan-mnist.json by hand: G 64 → dense 7·7·128 (no bias, batch norm, ReLU) → 4×4 stride-2
// transposed conv to 14×14×64 (no bias, batch norm, ReLU) → 3×3 conv 64 (no bias, batch norm, ReLU) →
// 4×4 stride-2 transposed conv to 28×28×1 (tanh); D 4×4 stride-2 convs
// 1 → 32 → 64 (leaky ReLU 0.2) → dense 512 (leaky ReLU 0.2) → dense 1; all padding 'same';
// non-saturating loss, Adam β1 0.5.
// The bench times a step, so its learning rates (2e-4 for both here; the example gives the generator
// 2e-3), the linear decay and the weight average of the example are left out.
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { nonSaturatingGan } from './gan-loop';

const Z = 64;

export const dcganMnist: HandBuilder = async ({ batchSize, seed }) => {
  const G = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [Z], units: 7 * 7 * 128, useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.reshape({ targetShape: [7, 7, 128] }),
      tf.layers.conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  });
  const D = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  return nonSaturatingGan({ G, D, noise: Z, ds: await dataset('mnist'), batchSize, seed });
};
