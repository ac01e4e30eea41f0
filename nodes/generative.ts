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
      doc: 'Conditional GAN: one-hot class labels, joined to real and fake data alike before the inner network, or (label use "classify") the classes its network must name; with "classifyReal", the classes of the real data alone.',
    },
  ],
  outputs: [
    { id: 'realScore', label: 'D(real)', kind: 'tensor' },
    { id: 'fakeScore', label: 'D(fake)', kind: 'tensor' },
  ],
  params: {
    labelUse: {
      kind: 'enum', default: 'join', options: LABEL_USES, label: 'label use',
      doc: 'join: the label is joined to each example, and the network judges whether it is a real example of that class. classify (AC-GAN): the network does not see the label; it ends in 1 + classes numbers, the score and one logit per class, and the adversarial loss trains it to name the class while the generator learns to draw what it names as the asked-for class. classifyReal (semi-supervised): the same network and class head, trained to name the class of real examples only; the generator is unconditional and learns from the score alone.',
    },
    pack: {
      kind: 'int', default: 1, min: 1, max: 16, label: 'pack',
      doc: 'PacGAN: judge this many examples at once, joined along their features (the batch must be a multiple of it).',
    },
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
