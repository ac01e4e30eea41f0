// examples/ddpm-mnist.json by hand: MNIST noised on a 1000-step cosine schedule; a small U-Net
// (3×3 convs with SiLU: 16 at 28×28, 32 at 14×14 and 7×7, average pooling down, nearest
// upsampling and concatenated skips up, a dense projection of the time embedding added at each
// level) predicts ε (MSE); Adam 5e-4.
import * as tf from '@tensorflow/tfjs';
import { dataset, type HandBuilder } from './common';
import { epsilonTraining } from './diffusion';

type S = tf.SymbolicTensor;
const conv = (filters: number, act = true) =>
  tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: act ? 'swish' : 'linear' });

export const ddpmMnist: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('mnist');
  const xt = tf.input({ shape: [28, 28, 1] });
  const sin = tf.input({ shape: [64] });
  const temb = tf.layers.dense({ units: 64, activation: 'swish' }).apply(sin) as S;
  const addTime = (x: S, c: number) =>
    tf.layers.add().apply([x, tf.layers.reshape({ targetShape: [1, 1, c] }).apply(tf.layers.dense({ units: c }).apply(temb)) as S]) as S;
  const skip1 = conv(16).apply(addTime(conv(16).apply(xt) as S, 16)) as S;
  const skip2 = conv(32).apply(addTime(conv(32).apply(tf.layers.averagePooling2d({ poolSize: 2 }).apply(skip1)) as S, 32)) as S;
  const mid = addTime(conv(32).apply(tf.layers.averagePooling2d({ poolSize: 2 }).apply(skip2)) as S, 32);
  const up2 = conv(32).apply(tf.layers.concatenate().apply([tf.layers.upSampling2d({ size: [2, 2] }).apply(mid) as S, skip2])) as S;
  const up1 = conv(16).apply(tf.layers.concatenate().apply([tf.layers.upSampling2d({ size: [2, 2] }).apply(up2) as S, skip1])) as S;
  const net = tf.model({ inputs: [xt, sin], outputs: conv(1, false).apply(up1) as S });
  return epsilonTraining({ net, ds, T: 1000, embDim: 64, learningRate: 5e-4, batchSize: B, seed });
};
