// How a diffusion graph is sampled: the reverse process around the denoiser that add-noise feeds,
// from x_T ~ N(0, I) back to x_0, forcing add-noise's x_t and t at every step.
import * as tf from '@tensorflow/tfjs';
import { kindOfShape, toBatch, type SampleEnv, type SamplerDef, type SamplingPlan } from '../sampling';
import type { NoiseSchedule } from '../types';
import { reverseSteps, sampleReverse } from './sampler';

/** Half again the data's extent: predicted x0 outside it is error, not signal. */
function pointRange(real?: Float32Array): number {
  let m = 0;
  for (const v of real ?? []) m = Math.max(m, Math.abs(v));
  return m > 0 ? 1.5 * m : 4;
}

function reverse(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, opts: { sampler?: 'ddpm' | 'ddim'; steps?: number; frameEvery?: number }) {
  // A schedule is plain data: computing it allocates no tensors.
  const schedule = env.value<NoiseSchedule>(plan.refs.schedule);
  const shape = [count, ...(plan.shape!.slice(1) as number[])];
  const denoise = (xt: tf.Tensor, t: tf.Tensor) =>
    env.evaluate(plan.refs.prediction, { batchSize: count, seed, salt: 9, overrides: [[plan.refs.xt, xt], [plan.refs.t, t]] });
  const xT = tf.randomNormal(shape, 0, 1, 'float32', seed);
  try {
    const run = sampleReverse(denoise, schedule, xT, {
      sampler: opts.sampler,
      steps: opts.steps,
      clipX0: shape.length === 4 ? true : pointRange(env.realPoints),
      seed,
      frameEvery: opts.frameEvery ?? 0,
    });
    return { ...run, shape, steps: reverseSteps(schedule, opts.sampler, opts.steps) };
  } finally {
    xT.dispose();
  }
}

export const diffusionSampler: SamplerDef = {
  plan(q, id) {
    const schedule = q.inputOf(id, 'schedule');
    const x0 = q.inputOf(id, 'x0');
    const shape = x0 && q.shapeOf(x0);
    if (!schedule || !shape) return null;
    const output = kindOfShape(shape);
    if (!output) return null;
    // The denoiser's prediction is the loss input computed downstream of x_t; the other (ε) comes
    // straight from this node.
    for (const loss of q.losses()) {
      for (const port of q.inputPorts(loss)) {
        const ref = q.inputOf(loss, port);
        if (!ref || ref.node === id || !q.isUpstream(id, ref.node)) continue;
        return {
          output,
          shape,
          refs: { schedule, prediction: ref, xt: { node: id, port: 'xt' }, t: { node: id, port: 't' } },
          features: ['frames'],
        };
      }
    }
    return null;
  },
  async sample(env, plan, req) {
    let frameEvery = req.frameEvery ?? 0;
    if (req.frames && !frameEvery) {
      const schedule = env.value<NoiseSchedule>(plan.refs.schedule);
      frameEvery = Math.max(1, Math.ceil(reverseSteps(schedule, req.sampler, req.steps) / req.frames));
    }
    const { x0, frames, shape } = reverse(env, plan, req.count, req.seed, { sampler: req.sampler, steps: req.steps, frameEvery });
    const batch = toBatch(x0, env.realPoints);
    x0.dispose();
    const frameBatches = frames.map((f) => {
      const t = tf.tensor(f.data, shape);
      const b = toBatch(t, env.realPoints);
      t.dispose();
      return b;
    });
    return { batch, frames: frameBatches };
  },
  draw(env, plan, count, seed) {
    return reverse(env, plan, count, seed, {}).x0;
  },
};
