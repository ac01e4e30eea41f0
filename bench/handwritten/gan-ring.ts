// examples/gan-ring.json by hand: MLP generator 16 → 256 → 256 → 256 → 2 and MLP discriminator
// 2 → 128 → 128 → 1 (leaky ReLU 0.2), non-saturating loss with an R1 penalty γ = 0.1 on real points,
// Adam 8e-3 β = (0.5, 0.99); the example's cosine decay of the rate is left out (one scalar a step), and
// rejection sampling, which only changes how samples are drawn.
import { dataset, leakyMlp, type HandBuilder } from './common';
import { nonSaturatingGan } from './gan-loop';

export const ganRing: HandBuilder = async ({ batchSize: B, seed }) => {
  const ds = await dataset('ring');
  const G = leakyMlp([16, 256, 256, 256, 2]);
  const D = leakyMlp([2, 128, 128, 1]);
  return nonSaturatingGan({ G, D, noise: 16, ds, batchSize: B, seed, adam: { learningRate: 8e-3, beta1: 0.5, beta2: 0.99 }, r1: 0.1 });
};
