// A DCGAN training step at MNIST size, for measuring whole-step throughput on a backend.
import * as tf from '@tensorflow/tfjs';

const B = 64;
const Z = 100;

function generator(): tf.Sequential {
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

function discriminator(): tf.Sequential {
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

export interface StepRate {
  stepsPerSecond: number;
  msPerStep: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Trains a DCGAN for `steps` steps (after one warm-up) on the active backend. */
export function dcganStepsPerSecond(steps: number): StepRate {
  const g = generator();
  const d = discriminator();
  const gOpt = tf.train.adam(2e-4, 0.5);
  const dOpt = tf.train.adam(2e-4, 0.5);
  const real = tf.randomUniform([B, 28, 28, 1], -1, 1);
  const ones = tf.ones([B, 1]);
  const zeros = tf.zeros([B, 1]);
  const bce = (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const z = tf.randomNormal([B, Z]);
    const dLoss = dOpt.minimize(() => {
      const fake = g.apply(z, { training: true }) as tf.Tensor;
      return tf.add(bce(ones, d.apply(real, { training: true }) as tf.Tensor), bce(zeros, d.apply(fake, { training: true }) as tf.Tensor));
    }, true, dVars);
    const gLoss = gOpt.minimize(() => bce(ones, d.apply(g.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor), true, gVars);
    dLoss!.dataSync();
    gLoss!.dataSync();
    tf.dispose([z, dLoss!, gLoss!]);
  };
  step();
  const tensorsBefore = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  const tensorsAfter = tf.memory().numTensors;
  tf.dispose([real, ones, zeros]);
  gOpt.dispose();
  dOpt.dispose();
  g.dispose();
  d.dispose();
  return { stepsPerSecond: 1000 / ms, msPerStep: ms, tensorsBefore, tensorsAfter };
}
