// Layout changes that keep every value: reshape to a given shape, flatten to one axis.
import * as tf from '@tensorflow/tfjs';
import { NodeError, defineNode, type Shape } from '../types';
import { formatShape, need, product } from '../shape';

/** The non-batch dims, which must all be known to count the values. */
function knownDims(x: Shape, what: string): number[] {
  if (x.length < 2 || x.slice(1).some((d) => d === null))
    throw new NodeError(`expects input ${what} with every size after batch known, got ${formatShape(x)}`);
  return x.slice(1) as number[];
}

export const reshape = defineNode({
  type: 'reshape',
  label: 'Reshape',
  category: 'layers',
  role: 'layer',
  doc: 'Rearranges each example into a new shape with the same number of values, e.g. [256] to [4, 4, 16].',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    targetShape: {
      kind: 'shape',
      default: [7, 7, 16],
      minLength: 1,
      maxLength: 5,
      label: 'shape',
      doc: 'Shape of one example, without the batch axis.',
    },
  },
  keyParams: ['targetShape'],
  design: { bends: () => false },
  inferShapes(inputs, p) {
    const x = need(inputs, 'in');
    const from = product(knownDims(x, '[batch, …]'));
    const to = product(p.targetShape);
    const target: Shape = [null, ...p.targetShape];
    if (from !== to)
      throw new NodeError(
        `cannot reshape ${formatShape(x)} (${from} values) to ${formatShape(target)} (${to} values): the counts must be equal`,
        'targetShape',
      );
    return { out: target };
  },
  build(p, _inputs, ctx) {
    const layer = tf.layers.reshape({ targetShape: p.targetShape, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const flatten = defineNode({
  type: 'flatten',
  label: 'Flatten',
  category: 'layers',
  role: 'layer',
  doc: 'Lays each example out as one vector, e.g. [batch, 7, 7, 16] to [batch, 784].',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {},
  design: { bends: () => false },
  inferShapes(inputs) {
    const x = need(inputs, 'in');
    return { out: [null, product(knownDims(x, '[batch, …]'))] };
  },
  build(_p, inputs, ctx) {
    // An already flat input passes through: tf's Flatten rejects rank 2, but on the canvas a
    // redundant flatten is harmless.
    if ((inputs.in?.length ?? 0) <= 2) return ({ in: x }) => ({ out: x });
    const layer = tf.layers.flatten({ name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});

export const reshapeNodes = [reshape, flatten];
