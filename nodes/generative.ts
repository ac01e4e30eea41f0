// Generative pipeline nodes that are not layers: the discriminator group.
import { innerInputShape, joinLabel, packExamples } from './gan/discriminator-input';
import { classifies, LABEL_USES } from './gan/auxiliary-classifier';
import { conditionalGeneratorSampler } from './gan/conditional-sampling';
import { formatShape, need, sameShape } from './shape';
import { defineNode, NodeError } from './types';

/**
 * One inner network, applied to real and to generated data with shared weights. Its inner nodes
 * (parentId = this node) read from the `innerIn` handle and end at `innerOut`; the compiler builds
 * them as one tf.LayersModel and applies it once per route.
 */
export const discriminator = defineNode({
  type: 'discriminator',
  label: 'Discriminator',
  category: 'generative',
  role: 'group',
  doc: 'A group: its inner layers score real and generated data with the same weights.',
  inputs: [
    { id: 'real', kind: 'tensor', doc: 'Real data.' },
    { id: 'fake', kind: 'tensor', doc: 'Generated data.', role: 'generator' },
    {
      id: 'label', kind: 'tensor', optional: true,
      doc: 'Conditional GAN: one-hot class labels, joined to real and fake data alike before the inner network, or (label use "classify") the classes its network must name; with "classifyReal", the classes of the real data alone; with "classifyFake", a random code the generator was given (InfoGAN).',
    },
  ],
  outputs: [
    { id: 'realScore', label: 'D(real)', kind: 'tensor' },
    { id: 'fakeScore', label: 'D(fake)', kind: 'tensor' },
  ],
  params: {
    labelUse: {
      kind: 'enum', default: 'join', options: LABEL_USES, label: 'label use',
      doc: 'join: the label is joined to each example, and the network judges whether it is a real example of that class. classify (AC-GAN): the network does not see the label; it ends in 1 + classes numbers, the score and one logit per class, and the adversarial loss trains it to name the class while the generator learns to draw what it names as the asked-for class. classifyReal (semi-supervised): the same network and class head, trained to name the class of real examples only; the generator is unconditional and learns from the score alone. classifyFake (InfoGAN): wire a categorical noise node to the label and to the generator; the same head is trained to recover that code from generated examples only, and the generator to draw so that it can, with no real label used; sampling draws the code at random.',
    },
    pack: {
      kind: 'int', default: 1, min: 1, max: 16, label: 'pack',
      doc: 'PacGAN: judge this many examples at once, joined along their features (the batch must be a multiple of it).',
    },
    rejection: {
      kind: 'enum', default: 'off', options: ['off', 'drs'], label: 'rejection sampling',
      doc: 'drs (discriminator rejection sampling, Azadi et al. 2019): sampling draws candidates from the generator and keeps each with a chance set by the discriminator\'s score, its estimate of how much likelier real data is there, so samples where it sees little real data are dropped. Its score must be a log-loss logit (the non-saturating loss), one per example (pack 1). Training is unchanged.',
    },
    rejectPercentile: {
      kind: 'float', default: 50, min: 0, max: 99, label: 'rejection γ percentile',
      doc: 'How choosy rejection sampling is: γ is this percentile of the candidates\' log-odds of being kept. 0 sets γ = 0, exact rejection sampling by the score, which keeps nearly everything once the discriminator is unsure; 50 keeps about half, the likelier; higher keeps fewer, only the likeliest, at the cost of the balance between modes.',
    },
    langevinSteps: {
      kind: 'int', default: 0, min: 0, max: 1000, label: 'latent Langevin steps',
      doc: 'Discriminator-driven latent sampling (Che et al. 2020): before the generator draws, its normal noise z takes this many Langevin steps on the energy ½‖z‖² − D(G(z)), towards codes the discriminator finds real; every sample is kept, so the balance between modes is kept too. Its score must be a log-loss logit (the non-saturating loss), one per example (pack 1); other noise (categorical codes) and asked-for classes stay as drawn. Each step costs a forward and backward pass of both networks. 0 = off. Training is unchanged.',
    },
    langevinStepSize: {
      kind: 'float', default: 0.03, min: 1e-4, max: 1, step: 0.01, label: 'Langevin step size ε',
      doc: 'Each Langevin step moves z by ε/2 times the energy\'s gradient, plus normal noise of scale √ε.',
    },
  },
  validateParams(p) {
    const problems: { field: string; message: string }[] = [];
    if (p.rejection === 'drs' && p.pack > 1)
      problems.push({ field: 'rejection', message: `rejection sampling needs a score per example, but this discriminator judges packs of ${p.pack}: set pack to 1 or rejection to off` });
    if (p.langevinSteps > 0 && p.pack > 1)
      problems.push({ field: 'langevinSteps', message: `latent Langevin steps need a score per example, but this discriminator judges packs of ${p.pack}: set pack to 1 or the steps to 0` });
    if (p.langevinSteps > 0 && p.rejection === 'drs')
      problems.push({ field: 'langevinSteps', message: 'choose rejection sampling or latent Langevin steps, not both: set rejection to off or the steps to 0' });
    return problems;
  },
  keyParams: ['pack'],
  networkRole: { downstream: 'discriminator' },
  sampler: conditionalGeneratorSampler('fake', 'label', 'fakeScore'),
  group: {
    innerInput: 'innerIn',
    innerOutput: 'innerOut',
    routes: [
      { from: 'real', to: 'realScore' },
      { from: 'fake', to: 'fakeScore' },
    ],
    prepare(x, p, input) {
      const label = classifies(p) ? null : input('label');
      return packExamples(label ? joinLabel(x, label) : x, Number(p.pack), 'the discriminator');
    },
  },
  inferShapes(inputs, p) {
    const real = need(inputs, 'real');
    const fake = need(inputs, 'fake');
    if (!sameShape(real, fake))
      throw new NodeError(`expects real and fake inputs of one shape, got ${formatShape(real)} and ${formatShape(fake)}`);
    if (classifies(p)) {
      if (!inputs.label) throw new NodeError('classifies its label, so its "label" input must be connected (one-hot classes)');
      if (p.pack > 1) throw new NodeError('cannot both classify its label and pack examples: a pack of several examples has no one class; set pack to 1');
      return { innerIn: innerInputShape(real, undefined, p.pack) };
    }
    return { innerIn: innerInputShape(real, inputs.label, p.pack) };
  },
});

export const generativeNodes = [discriminator];
