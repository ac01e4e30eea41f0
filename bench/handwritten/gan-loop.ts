// The non-saturating GAN training step both hand-written DCGANs share: one Adam step of the
// discriminator on a real batch and a generated one, then one of the generator, Adam 2e-4 β1 0.5.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../runtime/data/rng';
import { adamStep, batchOf, varsOf, type HandWritten } from './common';
import type { LoadedDataset } from '../../runtime/data/datasets';

export interface GanParts {
  G: tf.LayersModel;
  D: tf.LayersModel;
  noise: number;
  ds: LoadedDataset;
  batchSize: number;
  seed: number;
}

export function nonSaturatingGan({ G, D, noise, ds, batchSize: B, seed }: GanParts): HandWritten {
  const rng = new Rng(seed);
  const dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const dVars = varsOf(D);
  const gVars = varsOf(G);
  const d = (x: tf.Tensor) => D.apply(x, { training: true }) as tf.Tensor;
  const g = (z: tf.Tensor) => G.apply(z, { training: true }) as tf.Tensor;
  return {
    step() {
      tf.tidy(() => {
        const real = batchOf(ds, B, rng);
        adamStep(dOpt, dVars, () =>
          tf.add(tf.mean(tf.softplus(tf.neg(d(real)))), tf.mean(tf.softplus(d(g(tf.randomNormal([B, noise])))))),
        );
        adamStep(gOpt, gVars, () => tf.mean(tf.softplus(tf.neg(d(g(tf.randomNormal([B, noise])))))) as tf.Scalar);
      });
    },
    dispose() {
      [dOpt, gOpt, G, D].forEach((x) => x.dispose());
    },
  };
}
