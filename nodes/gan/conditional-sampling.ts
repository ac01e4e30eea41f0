// Class-conditional sampling for a GAN: the generator reads the same labels that reach the
// discriminator group's `label` input, so sampling forces the asked-for classes there instead of a
// batch of data labels. Unconditional graphs sample as before.
import * as tf from '@tensorflow/tfjs';
import { generatedInputSampler } from '../generated-sampling';
import { toBatch, type SamplerDef } from '../sampling';

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

/** The generator behind `port`, conditioned on the labels wired to `labelPort` when there are any. */
export function conditionalGeneratorSampler(port: string, labelPort: string, scorePort?: string): SamplerDef {
  const base = generatedInputSampler(port, scorePort);
  return {
    plan(q, id, params) {
      const plan = base.plan(q, id, params);
      const label = q.inputOf(id, labelPort);
      const classes = label ? q.shapeOf(label)?.[1] : null;
      // One point alone has no score when the discriminator also reads a class or judges packs of points.
      const features = label || Number(params.pack ?? 1) > 1 ? plan?.features.filter((f) => f !== 'critic') ?? [] : plan?.features ?? [];
      // A semi-supervised discriminator reads the real data's classes; its generator is given none.
      const conditional = label && params.labelUse !== 'classifyReal';
      if (!plan || !conditional || typeof classes !== 'number') return plan && { ...plan, features };
      return { ...plan, features, refs: { ...plan.refs, label }, settings: { ...plan.settings, classes } };
    },
    async sample(env, plan, req) {
      const classes = plan.settings.classes;
      if (!plan.refs.label || !classes) return base.sample(env, plan, req);
      const asked = req.classes ?? classesByRow(req.count, classes);
      const labels = oneHotClasses(asked, req.count, classes);
      try {
        const x = env.evaluate(plan.refs.target, { batchSize: req.count, seed: req.seed, salt: 7, overrides: [[plan.refs.label, labels]] });
        try {
          const batch = toBatch(x, env.realPoints);
          // Images carry the asked-for classes, so the class agreement can be measured.
          return { batch: batch.kind === 'images' ? { ...batch, classes: asked } : batch };
        } finally {
          x.dispose();
        }
      } finally {
        labels.dispose();
      }
    },
    draw: base.draw,
  };
}
