// examples/ddpm-2d.json by hand: spiral points noised on a 100-step cosine schedule; the denoiser
// sees [x_t, SiLU(dense(sinusoids(t)))] → 3 × dense 128 (SiLU) → 2 and predicts ε (MSE); Adam 2e-3.
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { epsilonTraining } from './diffusion';

export const ddpm2d: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('spiral');
  const xt = tf.input({ shape: [2] });
  const temb = tf.input({ shape: [32] });
  const e = tf.layers.dense({ units: 32, activation: 'swish' }).apply(temb) as tf.SymbolicTensor;
  let h = tf.layers.concatenate().apply([xt, e]) as tf.SymbolicTensor;
  for (let i = 0; i < 3; i++) h = tf.layers.dense({ units: 128, activation: 'swish' }).apply(h) as tf.SymbolicTensor;
  const net = tf.model({ inputs: [xt, temb], outputs: tf.layers.dense({ units: 2 }).apply(h) as tf.SymbolicTensor });
  return epsilonTraining({ net, ds, T: 100, embDim: 32, learningRate: 2e-3, batchSize: B, seed });
};
