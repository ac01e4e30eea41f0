// examples/vae-mnist-{2d,16d}.json by hand: 784 → 256 (ReLU) → mean, logvar (latent); z by
// reparameterization; latent → 256 (ReLU) → 784 (tanh); summed squared error plus KL warmed up
// over 500 steps; Adam 1e-3.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../nodes/rng';
import { adamStep, batchOf, dataset, varsOf, type HandBuilder } from './common';

export const vaeMnist = (latent: number): HandBuilder => async ({ batchSize: B, seed }) => {
  const ds = await dataset('mnist');
  const rng = new Rng(seed);
  const x = tf.input({ shape: [28, 28, 1] });
  const h = tf.layers.dense({ units: 256, activation: 'relu' }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
  const encoder = tf.model({
    inputs: x,
    outputs: [tf.layers.dense({ units: latent }).apply(h), tf.layers.dense({ units: latent }).apply(h)] as tf.SymbolicTensor[],
  });
  const decoder = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [latent], units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 784, activation: 'tanh' }),
      tf.layers.reshape({ targetShape: [28, 28, 1] }),
    ],
  });
  const opt = tf.train.adam(1e-3, 0.9, 0.999);
  const vars = varsOf(encoder, decoder);
  let step = 0;
  return {
    step() {
      const klWeight = Math.min(1, step / 500);
      tf.tidy(() => {
        const img = batchOf(ds, B, rng);
        adamStep(opt, vars, () => {
          const [mean, logvar] = encoder.apply(img, { training: true }) as tf.Tensor[];
          const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mean.shape)));
          const recon = decoder.apply(z, { training: true }) as tf.Tensor;
          const rec = tf.mean(tf.sum(tf.square(tf.sub(recon, img)), [1, 2, 3]));
          const kl = tf.mul(-0.5, tf.mean(tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mean)), tf.exp(logvar)), 1)));
          return tf.add(rec, tf.mul(klWeight, kl)) as tf.Scalar;
        });
      });
      step++;
    },
    dispose() {
      [opt, encoder, decoder].forEach((m) => m.dispose());
    },
  };
};
