// Samplers for families whose samples are one pass through a network: a GAN's generator fed with
// noise, a VAE's decoder fed from the prior. Both evaluate one port of the graph in sample mode.
import type * as tf from '@tensorflow/tfjs';
import { IWAE_SAMPLES, likelihoodBounds } from './vae-likelihood';
import { kindOfShape, toBatch, type GraphQuery, type PortRef, type SampleEnv, type SamplerDef, type SamplingPlan } from './sampling';

function draw(env: SampleEnv, plan: SamplingPlan, count: number, seed: number): tf.Tensor {
  const x = env.evaluate(plan.refs.target, { batchSize: count, seed, salt: 7 });
  if (!plan.refs.decoded) return x;
  // A decoder's output is a distribution's parameter (logits): its loss says what it means as data.
  const data = env.toData(plan.refs.decoded, x);
  x.dispose();
  return data;
}

async function sample(env: SampleEnv, plan: SamplingPlan, req: { count: number; seed: number }) {
  const x = draw(env, plan, req.count, req.seed);
  try {
    return { batch: toBatch(x, env.realPoints) };
  } finally {
    x.dispose();
  }
}

/**
 * A GAN: whatever feeds the group's generated-data input, computed from fresh noise. With
 * `scorePort`, the group's score of that input: on 2-D points it can be read anywhere in the plane.
 */
export function generatedInputSampler(port: string, scorePort?: string): SamplerDef {
  return {
    plan(q, id): Omit<SamplingPlan, 'node' | 'settings'> | null {
      const target = q.inputOf(id, port);
      const shape = target && q.shapeOf(target);
      const output = shape && kindOfShape(shape);
      if (!target || !shape || !output) return null;
      if (!scorePort) return { output, shape, refs: { target }, features: [] };
      // The score is there for any output (rejection sampling reads it); only a point's can be drawn as a surface.
      return { output, shape, refs: { target, score: { node: id, port: scorePort } }, features: output === 'points' ? ['critic'] : [] };
    },
    sample,
    draw,
  };
}

/**
 * A VAE, whose posterior N(mean, exp(logvar)) feeds this node: the loss input computed downstream of this node is the decoder's output (sampled with the
 * node's outputs drawn from the prior); the loss's other input is the data it reconstructs.
 */
export function priorSampler(latentPort: string, posterior: { mean: string; logvar: string }): SamplerDef {
  return {
    plan(q, id) {
      const mean = q.inputOf(id, posterior.mean);
      const logvar = q.inputOf(id, posterior.logvar);
      for (const loss of q.losses()) {
        const fed = fedPort(q, loss, id);
        if (!fed) continue;
        const target = q.inputOf(loss, fed)!;
        const other = q.inputPorts(loss).find((p) => p !== fed);
        const data = other ? q.inputOf(loss, other) : null;
        const shape = q.shapeOf(target);
        const output = shape && kindOfShape(shape);
        if (data && shape && output && mean && logvar) {
          const refs = { target, data, mean, logvar, latent: { node: id, port: latentPort }, decoded: { node: loss, port: fed } };
          return { output, shape, refs, features: ['latent'] };
        }
      }
      return null;
    },
    sample,
    draw,
    metrics: (env, plan, opts) => likelihoodBounds(env, plan, { ...opts, k: opts.samples ?? IWAE_SAMPLES }),
  };
}

function fedPort(q: GraphQuery, loss: string, from: string): string | undefined {
  return q.inputPorts(loss).find((p) => {
    const r: PortRef | null = q.inputOf(loss, p);
    return r !== null && q.isUpstream(from, r.node);
  });
}
