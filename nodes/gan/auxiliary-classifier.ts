// AC-GAN (Odena, Olah & Shlens 2017): a discriminator group whose label use is "classify" does not
// see the label; its network ends in 1 + classes numbers, the real-or-fake score and then one logit
// per class. The adversarial loss reads the score from the first and trains the classifier on the
// rest: the discriminator learns to name the class of real and generated data, and the generator to
// draw what the discriminator names as the asked-for class. The class signal reaches the generator
// through every weight of the discriminator, not only through the channels its first layer reads,
// which is what makes the samples agree with the asked-for class.
//
// "classifyReal" is the semi-supervised discriminator (Odena 2016; Lucic et al. 2019): the same
// network and class head, trained to name the class of real examples only, for an unconditional
// generator that is never given a class. The labels shape the discriminator's features; the
// generator learns from the score alone.
//
// "classifyFake" is InfoGAN's recognition head (Chen et al. 2016): the label is a code drawn at
// random (a categorical noise node) and fed to the generator, and the class loss asks the
// discriminator to recover it from the generated image alone, and the generator to draw so that
// it can. No real example is ever labelled: the generator is pushed, without supervision, to give
// each value of the code its own distinct kind of sample, which on digits is mostly the digit.
import * as tf from '@tensorflow/tfjs';
import { NodeError, type GroupHandle } from '../types';

export const LABEL_USES = ['join', 'classify', 'classifyReal', 'classifyFake'] as const;

/** Whether its class loss covers generated data (AC-GAN, InfoGAN). */
export function classifiesFakes(params: { labelUse?: unknown }): boolean {
  return params.labelUse === 'classify' || params.labelUse === 'classifyFake';
}

/** Whether its class loss covers real data (AC-GAN, semi-supervised). */
export function classifiesReals(params: { labelUse?: unknown }): boolean {
  return params.labelUse === 'classify' || params.labelUse === 'classifyReal';
}

/** Whether a discriminator group's network names classes (and so ends in 1 + classes numbers). */
export function classifies(params: { labelUse?: unknown }): boolean {
  return classifiesReals(params) || classifiesFakes(params);
}

/** The labels of the classifying discriminator group behind a loss's `real` input, else null. */
export function classifierLabels(critic: GroupHandle | null): tf.Tensor | null {
  if (!critic || !classifies(critic.params)) return null;
  return critic.input('label');
}

/** A classifying group's output [batch, 1 + classes], checked, split into the score and the class logits. */
export function splitScores(out: tf.Tensor, classes: number): { score: tf.Tensor; logits: tf.Tensor } {
  const width = out.shape[out.rank - 1];
  if (out.rank !== 2 || width !== 1 + classes)
    throw new NodeError(
      `reads a discriminator that classifies ${classes} classes, so its network must end in ${1 + classes} numbers per example (the score, then one logit per class); it gives [${out.shape.join(', ')}]`,
    );
  return { score: tf.slice(out, [0, 0], [-1, 1]), logits: tf.slice(out, [0, 1], [-1, classes]) };
}

/** The score alone of a group's output: the whole output, or its first number when the group classifies. */
export function scoreOf(out: tf.Tensor, labels: tf.Tensor | null): tf.Tensor {
  return labels ? splitScores(out, labels.shape[1]!).score : out;
}
