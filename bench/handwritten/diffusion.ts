// The pieces of DDPM training written out: a cosine schedule (Nichol & Dhariwal 2021), the
// forward noising of a batch, and the sinusoidal embedding of t.
import * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../../runtime/data/datasets';
import { Rng } from '../../nodes/rng';
import { adamStep, batchOf, varsOf, type HandWritten } from './common';

function cosineAlphaBars(T: number, s = 0.008): Float32Array {
  const f = (t: number) => Math.cos(((t / T + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const bars = new Float32Array(T);
  let bar = 1;
  for (let i = 0; i < T; i++) {
    bar *= 1 - Math.min(0.999, 1 - f(i + 1) / f(i));
    bars[i] = bar;
  }
  return bars;
}

/** x_t, t (float [n, 1]) and ε for a random t per example. */
function noised(x0: tf.Tensor, bars: tf.Tensor1D): { xt: tf.Tensor; t: tf.Tensor; eps: tf.Tensor } {
  const n = x0.shape[0];
  const T = bars.shape[0];
  const tInt = tf.minimum(tf.floor(tf.randomUniform([n], 0, T)), T - 1).toInt();
  const ab = tf.gather(bars, tInt).reshape([n, ...x0.shape.slice(1).map(() => 1)]);
  const eps = tf.randomNormal(x0.shape);
  const xt = tf.add(tf.mul(tf.sqrt(ab), x0), tf.mul(tf.sqrt(tf.sub(1, ab)), eps));
  return { xt, t: tInt.toFloat().reshape([n, 1]), eps };
}

/** [n, 1] → [n, dim]: sin(t·f_k) then cos(t·f_k), f_k = 10000^(−k/half). */
function sinusoids(t: tf.Tensor, dim: number): tf.Tensor {
  const half = dim / 2;
  const freqs = tf.exp(tf.mul(tf.range(0, half), -Math.log(10000) / half)).reshape([1, half]);
  const angles = tf.mul(t, freqs);
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
}

/**
 * DDPM training by hand: each step noises a batch on `T` cosine steps and takes one Adam step on the
 * MSE between the ε that `net` predicts from [x_t, sinusoids(t, embDim)] and the true ε.
 */
export function epsilonTraining(o: { net: tf.LayersModel; ds: LoadedDataset; T: number; embDim: number; learningRate: number; batchSize: number; seed: number }): HandWritten {
  const rng = new Rng(o.seed);
  const bars = tf.tensor1d(cosineAlphaBars(o.T));
  const opt = tf.train.adam(o.learningRate, 0.9, 0.999);
  const vars = varsOf(o.net);
  return {
    step() {
      tf.tidy(() => {
        const n = noised(batchOf(o.ds, o.batchSize, rng), bars);
        adamStep(opt, vars, () => {
          const pred = o.net.apply([n.xt, sinusoids(n.t, o.embDim)], { training: true }) as tf.Tensor;
          return tf.mean(tf.squaredDifference(pred, n.eps)) as tf.Scalar;
        });
      });
    },
    dispose() {
      [opt, o.net, bars].forEach((m) => m.dispose());
    },
  };
}
