// The group-norm node: one GroupNorm layer over the last (channel) axis.
import type * as tf from '@tensorflow/tfjs';
import { defineNode, NodeError, type Shape } from '../types';
import { formatShape, need } from '../shape';
import { GroupNorm } from './group-norm-layer';

/** The channel count of `x`, checked to split into `groups`; `what` names the input in errors. */
export function groupedChannels(x: Shape, groups: number, what = 'input'): number {
  const c = x[x.length - 1];
  if (x.length < 2 || typeof c !== 'number') throw new NodeError(`expects ${what} [batch, …, channels], got ${formatShape(x)}`);
  if (c % groups !== 0) throw new NodeError(`expects ${what} channels divisible by groups = ${groups}, got ${c} (choose groups dividing ${c})`, 'groups');
  return c;
}

export const groupNorm = defineNode({
  type: 'groupNorm',
  label: 'Group norm',
  category: 'layers',
  role: 'layer',
  doc: 'Normalises each example over all positions of each group of channels, then scales and shifts per channel; independent of the batch.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    groups: { kind: 'int', default: 8, min: 1, max: 512, doc: 'Channel groups; must divide the channel count (1 = layer norm over all features and positions).' },
    epsilon: { kind: 'float', default: 1e-5, min: 1e-8, max: 0.1, doc: 'Added to the variance for stability.' },
  },
  keyParams: ['groups'],
  design: { bends: () => false },
  inferShapes(inputs, p) {
    const x = need(inputs, 'in');
    groupedChannels(x, p.groups);
    return { out: [...x] };
  },
  countParams(inputs, p) {
    return 2 * groupedChannels(need(inputs, 'in'), p.groups);
  },
  build(p, _inputs, ctx) {
    const layer = new GroupNorm({ groups: p.groups, epsilon: p.epsilon, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});
