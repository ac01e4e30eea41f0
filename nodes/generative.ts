// Generative pipeline nodes that are not layers: the discriminator group.
import { generatedInputSampler } from './generated-sampling';
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
  ],
  outputs: [
    { id: 'realScore', label: 'D(real)', kind: 'tensor' },
    { id: 'fakeScore', label: 'D(fake)', kind: 'tensor' },
  ],
  params: {},
  networkRole: { downstream: 'discriminator' },
  sampler: generatedInputSampler('fake'),
  group: {
    innerInput: 'innerIn',
    innerOutput: 'innerOut',
    routes: [
      { from: 'real', to: 'realScore' },
      { from: 'fake', to: 'fakeScore' },
    ],
  },
  inferShapes(inputs) {
    const real = need(inputs, 'real');
    const fake = need(inputs, 'fake');
    if (!sameShape(real, fake))
      throw new NodeError(`expects real and fake inputs of one shape, got ${formatShape(real)} and ${formatShape(fake)}`);
    return { innerIn: real };
  },
});

export const generativeNodes = [discriminator];
