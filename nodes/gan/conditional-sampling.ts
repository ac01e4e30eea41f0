// Class-conditional sampling for a GAN: the generator reads the same labels that reach the
// discriminator group's `label` input, so sampling forces the asked-for classes there instead of a
// batch of data labels. Unconditional graphs sample as before.
import * as tf from '@tensorflow/tfjs';
import { generatedInputSampler } from '../generated-sampling';
import { toBatch, type GraphQuery, type PortRef, type SampleEnv, type SampleRequest, type SamplerDef, type SamplingPlan } from '../sampling';
import { langevinLatents } from './latent-langevin';
import { rejectionSample } from './rejection-sampling';

/** Samples refined together: their activations and gradients are held at once. */
const LANGEVIN_CHUNK = 100;
/** Where the plan names the normal noise inputs that Langevin refinement moves: refs `noise0`, `noise1`, … */
const NOISE_REF = 'noise';

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

/** The first number of each row of `out` [n, …]: the score, when the network also names classes. */
function firstColumn(out: tf.Tensor): tf.Tensor {
  const n = out.shape[0];
  return tf.slice(tf.reshape(out, [n, -1]), [0, 0], [n, 1]);
}

/** The discriminator's score of each of `x` (the first number when its network also names classes). */
function scores(env: SampleEnv, plan: SamplingPlan, x: tf.Tensor, labels: tf.Tensor | null): Float32Array {
  const overrides: [PortRef, tf.Tensor][] = [[plan.refs.target, x]];
  if (labels && plan.refs.label) overrides.push([plan.refs.label, labels]);
  const n = x.shape[0];
  const out = env.evaluate(plan.refs.score, { batchSize: n, seed: 0, salt: 7, overrides });
  try {
    if (out.size % n !== 0) throw new Error(`the discriminator gave ${out.size} numbers for ${n} samples: rejection sampling needs one score per sample`);
    const column = tf.tidy(() => firstColumn(out));
    try {
      return column.dataSync() as Float32Array;
    } finally {
      column.dispose();
    }
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
 * Samples whose normal noise took Langevin steps under the discriminator (latent-langevin.ts), in
 * chunks; other noise (categorical codes, uniform) and the asked-for classes stay as drawn.
 */
function refined(env: SampleEnv, plan: SamplingPlan, count: number, seed: number, labels: tf.Tensor | null): tf.Tensor {
  const noise = Object.keys(plan.refs).filter((k) => k.startsWith(NOISE_REF)).map((k) => plan.refs[k]);
  const chunks: tf.Tensor[] = [];
  try {
    for (let start = 0; start < count; start += LANGEVIN_CHUNK) {
      const n = Math.min(LANGEVIN_CHUNK, count - start);
      const chunkSeed = seed + 104729 * (start / LANGEVIN_CHUNK);
      const chunkLabels = labels && plan.refs.label ? tf.slice(labels, [start, 0], [n, -1]) : null;
      const at = { batchSize: n, seed: chunkSeed, salt: 7 };
      const given = (zs: tf.Tensor[]): [PortRef, tf.Tensor][] => [
        ...noise.map((ref, i): [PortRef, tf.Tensor] => [ref, zs[i]]),
        ...(chunkLabels ? [[plan.refs.label, chunkLabels] as [PortRef, tf.Tensor]] : []),
      ];
      const start0 = noise.map((ref) => env.evaluate(ref, at));
      try {
        const zs = langevinLatents((z) => firstColumn(env.evaluate(plan.refs.score, { ...at, overrides: given(z) })), start0, {
          steps: plan.settings.langevinSteps,
          stepSize: plan.settings.langevinStepSize,
          seed: chunkSeed,
        });
        chunks.push(env.evaluate(plan.refs.target, { ...at, overrides: given(zs) }));
        tf.dispose(zs);
      } finally {
        tf.dispose(start0);
        chunkLabels?.dispose();
      }
    }
    return tf.concat(chunks);
  } finally {
    tf.dispose(chunks);
  }
}

/** The samples `req` asks for: refined by the discriminator when the group asks for it and the request allows it. */
function drawn(env: SampleEnv, plan: SamplingPlan, req: SampleRequest, asked: number[] | null, labels: tf.Tensor | null): tf.Tensor {
  if (!req.plain && plan.refs.score) {
    if (plan.settings.rejectPercentile !== undefined) return rejected(env, plan, req.count, req.seed, asked);
    if (plan.settings.langevinSteps) return refined(env, plan, req.count, req.seed, labels);
  }
  return generated(env, plan, req.count, req.seed, labels);
}

/** The generator's normal noise inputs, which Langevin refinement moves, as refs `noise0`, `noise1`, … */
function normalNoise(q: GraphQuery, target: PortRef): Record<string, PortRef> {
  const found = q.nodesOfType('noise').filter((id) => q.isUpstream(id, target.node) && q.paramsOf(id)?.distribution === 'normal');
  return Object.fromEntries(found.map((id, i) => [`${NOISE_REF}${i}`, { node: id, port: 'z' }]));
}

/**
 * The generator behind `port`, conditioned on the labels wired to `labelPort` when there are any,
 * and filtered by the discriminator when the group asks for rejection sampling, or its noise moved
 * by Langevin steps under the discriminator when the group asks for those.
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
      const langevin = Number(params.langevinSteps ?? 0) > 0 && found?.refs.score ? normalNoise(q, found.refs.target) : {};
      if (Object.keys(langevin).length > 0) Object.assign(settings, { langevinSteps: Number(params.langevinSteps), langevinStepSize: Number(params.langevinStepSize) });
      const plan = found && { ...found, refs: { ...found.refs, ...langevin }, features, settings };
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
        const x = drawn(env, plan, req, asked, labels);
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
