// examples/classifier-mnist.json by hand: 28×28 digit flattened → dense 128 (ReLU) → dense 10;
// softmax cross-entropy against the one-hot label (log-softmax, nats per example); Adam 1e-3
// β = (0.9, 0.999).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../nodes/rng';
import type { LoadedDataset } from '../../runtime/data/datasets';
import { adamStep, dataset, varsOf, type HandBuilder } from './common';

const CLASSES = 10;

/** Random labelled training examples (with replacement): images [n, 28, 28, 1] and one-hot labels [n, 10]. */
function labelledBatch(ds: LoadedDataset, n: number, rng: Rng): { x: tf.Tensor; y: tf.Tensor } {
  const labels = ds.train.labels;
  if (!labels) throw new Error(`dataset "${ds.info.name}" has no labels to classify`);
  const size = ds.exampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  const y = new Float32Array(n * CLASSES);
  for (let b = 0; b < n; b++) {
    const i = rng.int(ds.train.count);
    x.set(ds.train.x.subarray(i * size, (i + 1) * size), b * size);
    y[b * CLASSES + labels[i]] = 1;
  }
  return { x: tf.tensor(x, [n, ...ds.exampleShape]), y: tf.tensor2d(y, [n, CLASSES]) };
}

export const classifierMnist: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('mnist');
  const rng = new Rng(seed);
  const net = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: CLASSES }),
    ],
  });
  const opt = tf.train.adam(1e-3, 0.9, 0.999);
  const vars = varsOf(net);
  return {
    step() {
      tf.tidy(() => {
        const { x, y } = labelledBatch(ds, B, rng);
        adamStep(opt, vars, () => {
          const logp = tf.logSoftmax(net.apply(x, { training: true }) as tf.Tensor);
          return tf.neg(tf.mean(tf.sum(tf.mul(y, logp), -1))) as tf.Scalar;
        });
      });
    },
    dispose() {
      [opt, net].forEach((m) => m.dispose());
    },
  };
};
