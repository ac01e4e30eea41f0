// How a diffusion graph is sampled: the reverse process around the denoiser that add-noise feeds,
// from x_T ~ N(0, I) back to x_0, forcing add-noise's x_t and t at every step. A class-conditional
// denoiser (a label-dropout node upstream of it) is also forced the asked-for classes, and with a
// guidance scale s ∉ {0, 1} runs conditional and unconditional in one batch: out_u + s·(out_c − out_u).
import * as tf from '@tensorflow/tfjs';
import { classesByRow, oneHotClasses } from '../gan/conditional-sampling';
import { kindOfShape, toBatch, type SampleEnv, type SamplerDef, type SamplingPlan } from '../sampling';
import type { NoiseSchedule } from '../types';
import { PREDICTIONS, reverseSteps, sampleReverse, type Denoiser } from './sampler';

/** Half again the data's extent: predicted x0 outside it is error, not signal. */
function pointRange(real?: Float32Array): number {
  let m = 0;
  for (const v of real ?? []) m = Math.max(m, Math.abs(v));
  return m > 0 ? 1.5 * m : 4;
}

interface ReverseOptions {
  sampler?: 'ddpm' | 'ddim';
  steps?: number;
  frameEvery?: number;
  classes?: number[];
  guidance?: number;
}

/** The denoiser as the reverse process calls it, with classes and guidance applied. */
function denoiserOf(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, schedule: NoiseSchedule, opts: ReverseOptions): { denoise: Denoiser; dispose(): void } {
  const evaluate = (overrides: [SamplingPlan['refs'][string], tf.Tensor][], batchSize: number) =>
    env.evaluate(plan.refs.prediction, { batchSize, seed, salt: 9, overrides });
  const labelRef = plan.refs.label;
  const k = plan.settings.classes;
  if (!labelRef || !k) {
    if (opts.classes) throw new Error('this diffusion model is not class-conditional: wire a label-dropout node into its denoiser to ask for classes');
    return { denoise: (xt, t) => evaluate([[plan.refs.xt, xt], [plan.refs.t, t]], count), dispose() {} };
  }
  const scale = opts.guidance ?? schedule.guidance;
  if (!(scale >= 0 && Number.isFinite(scale))) throw new Error(`the guidance scale must be a number ≥ 0, got ${scale}`);
  const cond = oneHotClasses(opts.classes ?? classesByRow(count, k), count, k);
  const uncond = tf.zerosLike(cond);
  const both = tf.concat([cond, uncond]);
  const denoise: Denoiser = (xt, t) => {
    if (scale === 1) return evaluate([[plan.refs.xt, xt], [plan.refs.t, t], [labelRef, cond]], count);
    if (scale === 0) return evaluate([[plan.refs.xt, xt], [plan.refs.t, t], [labelRef, uncond]], count);
    // One pass over 2n examples: the first n conditional, the last n with no class.
    const out = evaluate([[plan.refs.xt, tf.concat([xt, xt])], [plan.refs.t, tf.concat([t, t])], [labelRef, both]], 2 * count);
    const [c, u] = tf.split(out, 2);
    return tf.add(u, tf.mul(scale, tf.sub(c, u)));
  };
  return { denoise, dispose: () => tf.dispose([cond, uncond, both]) };
}

function reverse(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, opts: ReverseOptions) {
  // A schedule is plain data: computing it allocates no tensors.
  const schedule = env.value<NoiseSchedule>(plan.refs.schedule);
  const shape = [count, ...(plan.shape!.slice(1) as number[])];
  const { denoise, dispose } = denoiserOf(env, plan, count, seed, schedule, opts);
  const xT = tf.randomNormal(shape, 0, 1, 'float32', seed);
  try {
    const run = sampleReverse(denoise, schedule, xT, {
      sampler: opts.sampler,
      steps: opts.steps,
      prediction: PREDICTIONS[plan.settings.prediction ?? 0],
      clipX0: shape.length === 4 ? true : pointRange(env.realPoints),
      seed,
      frameEvery: opts.frameEvery ?? 0,
    });
    return { ...run, shape, steps: reverseSteps(schedule, opts.sampler, opts.steps) };
  } finally {
    xT.dispose();
    dispose();
  }
}

export const diffusionSampler: SamplerDef = {
  plan(q, id, params) {
    const schedule = q.inputOf(id, 'schedule');
    const x0 = q.inputOf(id, 'x0');
    const shape = x0 && q.shapeOf(x0);
    if (!schedule || !shape) return null;
    const output = kindOfShape(shape);
    if (!output) return null;
    // Plan settings are numbers: the prediction kind travels as its index.
    const prediction = Math.max(0, PREDICTIONS.indexOf(params.prediction as (typeof PREDICTIONS)[number]));
    // The denoiser's prediction is the loss input computed downstream of x_t; the other (the
    // target) comes straight from this node.
    for (const loss of q.losses()) {
      for (const port of q.inputPorts(loss)) {
        const ref = q.inputOf(loss, port);
        if (!ref || ref.node === id || !q.isUpstream(id, ref.node)) continue;
        const refs = { schedule, prediction: ref, xt: { node: id, port: 'xt' }, t: { node: id, port: 't' } };
        const conditioner = q.nodesOfType('labelDropout').find((n) => q.isUpstream(n, ref.node));
        const classes = conditioner ? q.shapeOf({ node: conditioner, port: 'out' })?.[1] : undefined;
        if (conditioner && typeof classes === 'number')
          return { output, shape, refs: { ...refs, label: { node: conditioner, port: 'out' } }, features: ['frames'], settings: { prediction, classes } };
        const settings: Record<string, number> = { prediction };
        return { output, shape, refs, features: ['frames'], settings };
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
    const classes = plan.settings.classes ? (req.classes ?? classesByRow(req.count, plan.settings.classes)) : undefined;
    const { x0, frames, shape } = reverse(env, plan, req.count, req.seed, { sampler: req.sampler, steps: req.steps, frameEvery, classes, guidance: req.guidance });
    const batch = toBatch(x0, env.realPoints);
    x0.dispose();
    const frameBatches = frames.map((f) => {
      const t = tf.tensor(f.data, shape);
      const b = toBatch(t, env.realPoints);
      t.dispose();
      return b;
    });
    return { batch: batch.kind === 'images' && classes ? { ...batch, classes } : batch, frames: frameBatches };
  },
  draw(env, plan, count, seed) {
    return reverse(env, plan, count, seed, {}).x0;
  },
};
