// Discriminator-driven latent sampling (Che, Zhang, Sohl-Dickstein, Larochelle, Paull, Cao & Bengio
// 2020, "Your GAN is secretly an energy-based model"). A discriminator trained with the log-loss holds
// log(p_data / p_g) in its logit d, so p_data(G(z)) is proportional to p(z)·e^{d(G(z))} in the latent
// space: the energy E(z) = ½‖z‖² − d(G(z)) for a standard normal prior. Langevin dynamics on z,
// z ← z − (ε/2)∇E(z) + √ε·n, walk the generator's noise towards codes the discriminator finds real.
// Unlike rejection sampling it moves every sample instead of dropping some, so it also mends samples
// that no draw of the generator gets right.
import * as tf from '@tensorflow/tfjs';

export interface LangevinOptions {
  steps: number;
  /** ε, the step's size: the drift is ε/2 times the energy's gradient, the noise √ε. */
  stepSize: number;
  seed: number;
}

/**
 * The latents after `steps` Langevin steps from `start` (one tensor per normal noise input, batch
 * first), under the energy ½‖z‖² − Σ score(z). `score` maps the latents to one logit per example
 * and must be differentiable in them. The start tensors are left to the caller.
 */
export function langevinLatents(score: (zs: tf.Tensor[]) => tf.Tensor, start: tf.Tensor[], opts: LangevinOptions): tf.Tensor[] {
  const energy = (...zs: tf.Tensor[]): tf.Scalar =>
    tf.sub(tf.addN(zs.map((z) => tf.mul(0.5, tf.sum(tf.square(z))))), tf.sum(score(zs))) as tf.Scalar;
  const gradients = tf.grads(energy);
  const noise = Math.sqrt(opts.stepSize);
  let zs = start.map((z) => z.clone());
  for (let k = 0; k < opts.steps; k++) {
    const next = tf.tidy(() => {
      const g = gradients(zs);
      return zs.map((z, i) => tf.add(tf.sub(z, tf.mul(opts.stepSize / 2, g[i])), tf.mul(noise, tf.randomNormal(z.shape, 0, 1, 'float32', opts.seed + 7919 * k + i))));
    });
    tf.dispose(zs);
    zs = next;
  }
  return zs;
}
