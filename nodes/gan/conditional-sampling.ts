// Class-conditional sampling for a GAN: the generator reads the same labels that reach the
// discriminator group's `label` input, so sampling forces the asked-for classes there instead of a
// batch of data labels. Unconditional graphs sample as before.
import * as tf from '@tensorflow/tfjs';
import { generatedInputSampler } from '../generated-sampling';
import { toBatch, type PortRef, type SampleEnv, type SamplerDef, type SamplingPlan } from '../sampling';
import { rejectionSample } from './rejection-sampling';

/** One row of the default √count-wide sample grid per class: row r shows class r (mod the class count). */
export function classesByRow(count: number, classes: number): number[] {
  const cols = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, i) => Math.floor(i / cols) % classes);
}

/** One-hot labels [count, classes] for the asked-for classes, checked. */
export function oneHotClasses(asked: number[], count: number, classes: number): tf.Tensor {
  if (asked.length !== count) throw new Error(`asked for ${count} samples but gave ${asked.length} classes: give one class per sample`);
  const bad = asked.find((c) => !Number.isInteger(c) || c < 0 || c >= classes);
  if (bad !== undefined) throw new Error(`class ${bad} does not exist: this generator knows classes 0 to ${classes - 1}`);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(asked, 'int32'), classes).toFloat());
}

/** Samples straight from the generator, with the asked-for classes when it is conditional. */
function generated(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, labels: tf.Tensor | null): tf.Tensor {
  const overrides: [PortRef, tf.Tensor][] = labels && plan.refs.label ? [[plan.refs.label, labels]] : [];
  return env.evaluate(plan.refs.target, { batchSize: count, seed, salt: 7, overrides });
}

/** The discriminator's score of each of `x` (the first number when its network also names classes). */
function scores(env: SampleEnv, plan: SamplingPlan, x: tf.Tensor, labels: tf.Tensor | null): Float32Array {
  const overrides: [PortRef, tf.Tensor][] = [[plan.refs.target, x]];
  if (labels && plan.refs.label) overrides.push([plan.refs.label, labels]);
  const n = x.shape[0];
  const out = env.evaluate(plan.refs.score, { batchSize: n, seed: 0, salt: 7, overrides });
  try {
    if (out.size % n !== 0) throw new Error(`the discriminator gave ${out.size} numbers for ${n} samples: rejection sampling needs one score per sample`);
    const all = out.dataSync();
    const width = out.size / n;
    return Float32Array.from({ length: n }, (_, i) => all[i * width]);
  } finally {
    out.dispose();
  }
}

/** Discriminator rejection sampling: candidates for each slot, with its class, until one is kept. */
function rejected(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, asked: number[] | null): tf.Tensor {
  const classes = plan.settings.classes;
  const { x } = rejectionSample({
    count,
    seed,
    percentile: plan.settings.rejectPercentile,
    draw(slots, round) {
      const labels = asked && classes ? oneHotClasses(slots.map((s) => asked[s]), slots.length, classes) : null;
      try {
        // Seeds apart from the plain sample's, one per round, so rounds draw fresh candidates.
        const candidates = generated(env, plan, slots.length, seed + 7919 * (round + 1), labels);
        return { x: candidates, logits: scores(env, plan, candidates, labels) };
      } finally {
        labels?.dispose();
      }
    },
  });
  return x;
}

/**
 * The generator behind `port`, conditioned on the labels wired to `labelPort` when there are any,
 * and filtered by the discriminator when the group asks for rejection sampling.
 */
export function conditionalGeneratorSampler(port: string, labelPort: string, scorePort?: string): SamplerDef {
  const base = generatedInputSampler(port, scorePort);
  return {
    plan(q, id, params) {
      const found = base.plan(q, id, params);
      const label = q.inputOf(id, labelPort);
      const classes = label ? q.shapeOf(label)?.[1] : null;
      // One point alone has no score when the discriminator also reads a class or judges packs of points.
      const features = label || Number(params.pack ?? 1) > 1 ? found?.features.filter((f) => f !== 'critic') ?? [] : found?.features ?? [];
      const settings: Record<string, number> = params.rejection === 'drs' ? { rejectPercentile: Number(params.rejectPercentile) } : {};
      const plan = found && { ...found, features, settings };
      // A semi-supervised discriminator reads the real data's classes; its generator is given none.
      // An InfoGAN's code is noise: its values are learned kinds of sample, not classes anyone asked
      // for, so it is drawn at random as in training.
      const conditional = label && params.labelUse !== 'classifyReal' && params.labelUse !== 'classifyFake';
      if (!plan || !conditional || typeof classes !== 'number') return plan;
      return { ...plan, refs: { ...plan.refs, label }, settings: { ...settings, classes } };
    },
    async sample(env, plan, req) {
      const classes = plan.settings.classes;
      const asked = plan.refs.label && classes ? req.classes ?? classesByRow(req.count, classes) : null;
      const labels = asked && classes ? oneHotClasses(asked, req.count, classes) : null;
      try {
        const x = plan.settings.rejectPercentile !== undefined && plan.refs.score && !req.plain
          ? rejected(env, plan, req.count, req.seed, asked)
          : generated(env, plan, req.count, req.seed, labels);
        try {
          const batch = toBatch(x, env.realPoints);
          // Images carry the asked-for classes, so the class agreement can be measured.
          return { batch: batch.kind === 'images' && asked ? { ...batch, classes: asked } : batch };
        } finally {
          x.dispose();
        }
      } finally {
        labels?.dispose();
      }
    },
    draw: base.draw,
  };
}
