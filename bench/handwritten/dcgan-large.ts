// bench/graphs/dcgan-large.json by hand: G 100 → dense 7·7·128 (no bias, batch norm, leaky ReLU
// 0.2) → 5×5 stride-2 transposed convs to 14×14×64 (no bias, batch norm, leaky ReLU) and 28×28×1
// (tanh); D 5×5 stride-2 convs 1 → 64 → 128 (leaky ReLU 0.2) → dense 1; non-saturating loss,
// Adam 2e-4 β1 0.5.
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { nonSaturatingGan } from './gan-loop';

export const Z = 100;

/** The generator (also timed op by op in bench/kernels.ts). */
export function largeGenerator(): tf.Sequential {
  return tf.sequential({
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
}

export function largeDiscriminator(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 5, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 128, kernelSize: 5, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

export const dcganLarge: HandBuilder = async ({ batchSize, seed }) =>
  nonSaturatingGan({ G: largeGenerator(), D: largeDiscriminator(), noise: Z, ds: await dataset('mnist'), batchSize, seed });
