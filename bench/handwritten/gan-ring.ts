// examples/gan-ring.json by hand: MLP generator 16 → 128 → 128 → 2 and MLP discriminator
// 2 → 128 → 128 → 1 (leaky ReLU 0.2), non-saturating loss with an R1 penalty γ = 1 on real points,
// Adam 5e-4 β = (0.5, 0.99).
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { nonSaturatingGan } from './gan-loop';

export const ganRing: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('ring');
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
  return nonSaturatingGan({ G, D, noise: 16, ds, batchSize: B, seed, adam: { learningRate: 5e-4, beta1: 0.5, beta2: 0.99 }, r1: 1 });
};
