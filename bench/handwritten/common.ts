// What every hand-written baseline shares: a seeded batch sampler over a loaded dataset, and one
// Adam step written the plain tfjs way (variableGrads, applyGradients, read the loss).
import * as tf from '@tensorflow/tfjs';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadDataset, type LoadedDataset } from '../../runtime/data/datasets';
import { Rng } from '../../nodes/rng';

export interface HandWritten {
  /** One full training step (every optimizer once), ending with the losses read back. */
  step(): void;
  dispose(): void;
}

interface HandOptions {
  batchSize: number;
  seed: number;
}

export type HandBuilder = (o: HandOptions) => Promise<HandWritten>;

export async function dataset(name: string): Promise<LoadedDataset> {
  return loadDataset(name, nodeAssets);
}

/** Random training examples (with replacement) as one float32 tensor [n, ...exampleShape]. */
export function batchOf(ds: LoadedDataset, n: number, rng: Rng): tf.Tensor {
  const size = ds.exampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let b = 0; b < n; b++) {
    const i = rng.int(ds.train.count);
    x.set(ds.train.x.subarray(i * size, (i + 1) * size), b * size);
  }
  return tf.tensor(x, [n, ...ds.exampleShape]);
}

export const varsOf = (...models: tf.LayersModel[]): tf.Variable[] =>
  models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));

/** Minimises `loss` over `vars` with `opt`; returns the loss value. */
export function adamStep(opt: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar): number {
  const { value, grads } = tf.variableGrads(loss, vars);
  opt.applyGradients(grads);
  const v = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return v;
}

/** Dense layers of the given widths (sizes[0] is the input), leaky ReLU 0.2 between them. */
export const leakyMlp = (sizes: number[]): tf.Sequential =>
  tf.sequential({
    layers: sizes.slice(1).flatMap((units, i) => {
      const dense = tf.layers.dense({ units, ...(i === 0 ? { inputShape: [sizes[0]] } : {}) });
      return i < sizes.length - 2 ? [dense, tf.layers.leakyReLU({ alpha: 0.2 })] : [dense];
    }),
  });
