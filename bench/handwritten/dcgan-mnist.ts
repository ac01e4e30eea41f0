// examples/dcgan-mnist.json by hand: G 64 → dense 7·7·32 (ReLU) → 4×4 stride-2 transposed convs to
// 14×14×16 (ReLU) and 28×28×1 (tanh); D 4×4 stride-2 convs 1 → 16 → 32 (leaky ReLU 0.2) → dense 1;
// all padding 'same'; non-saturating loss, Adam 2e-4 β1 0.5.
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { nonSaturatingGan } from './gan-loop';

const Z = 64;

export const dcganMnist: HandBuilder = async ({ batchSize, seed }) => {
  const G = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [Z], units: 7 * 7 * 32, activation: 'relu' }),
      tf.layers.reshape({ targetShape: [7, 7, 32] }),
      tf.layers.conv2dTranspose({ filters: 16, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  });
  const D = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1 }),
    ],
  });
  return nonSaturatingGan({ G, D, noise: Z, ds: await dataset('mnist'), batchSize, seed });
};
