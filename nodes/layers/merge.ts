// Layers that join two or three tensors: concat along an axis, add element by element.
import * as tf from '@tensorflow/tfjs';
import { NodeError, defineNode, type PortDef, type Shape, type ShapeMap } from '../types';
import { formatShape, need, sameShape } from '../shape';

const MERGE_INPUTS: PortDef[] = [
  { id: 'a', kind: 'tensor' },
  { id: 'b', kind: 'tensor' },
  { id: 'c', kind: 'tensor', optional: true },
];

/** The connected inputs in port order, as [port, shape] pairs. */
function connected(inputs: ShapeMap): [string, Shape][] {
  const out: [string, Shape][] = [
    ['a', need(inputs, 'a')],
    ['b', need(inputs, 'b')],
  ];
  if (inputs.c) out.push(['c', inputs.c]);
  return out;
}

function describeAll(shapes: [string, Shape][]): string {
  return shapes.map(([port, s]) => `${port} ${formatShape(s)}`).join(', ');
}

/** Symbolic tensors of the connected inputs, in port order. */
function applyMerge(layer: tf.layers.Layer) {
  return (x: Record<string, tf.SymbolicTensor>) => {
    const list = [x.a, x.b, ...(x.c ? [x.c] : [])];
    return { out: layer.apply(list) as tf.SymbolicTensor };
  };
}

export const concat = defineNode({
  type: 'concat',
  label: 'Concat',
  category: 'layers',
  role: 'layer',
  doc: 'Joins inputs along one axis (the last by default, e.g. channels); every other size must match.',
  inputs: MERGE_INPUTS,
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    axis: { kind: 'int', default: -1, min: -5, max: 5, doc: 'Axis to join along; negative counts from the end; 0 is the batch.' },
  },
  keyParams: ['axis'],
  design: { bends: () => false },
  inferShapes(inputs, p) {
    const shapes = connected(inputs);
    const rank = shapes[0][1].length;
    if (shapes.some(([, s]) => s.length !== rank))
      throw new NodeError(`expects inputs of the same rank, got ${describeAll(shapes)}`);
    const axis = p.axis < 0 ? rank + p.axis : p.axis;
    if (axis < 1 || axis >= rank)
      throw new NodeError(`axis ${p.axis} is not a non-batch axis of rank-${rank} inputs (use 1..${rank - 1} or -${rank - 1}..-1)`, 'axis');
    const out: Shape = [...shapes[0][1]];
    for (let i = 1; i < rank; i++) {
      if (i === axis) continue;
      if (shapes.some(([, s]) => s[i] !== out[i]))
        throw new NodeError(`expects inputs that match on every axis but ${p.axis}, got ${describeAll(shapes)}`);
    }
    out[axis] = shapes.some(([, s]) => s[axis] === null) ? null : shapes.reduce((n, [, s]) => n + (s[axis] as number), 0);
    return { out };
  },
  build(p, inputs, ctx) {
    // tfjs's Concatenate mishandles negative axes other than -1 when it runs, so pass it a positive one.
    const rank = need(inputs, 'a').length;
    const axis = p.axis < 0 ? rank + p.axis : p.axis;
    return applyMerge(tf.layers.concatenate({ axis, name: ctx.layerName() }));
  },
});

export const add = defineNode({
  type: 'add',
  label: 'Add',
  category: 'layers',
  role: 'layer',
  doc: 'Sums inputs of exactly the same shape, element by element (residual connections).',
  inputs: MERGE_INPUTS,
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {},
  design: { bends: () => false },
  inferShapes(inputs) {
    const shapes = connected(inputs);
    if (shapes.some(([, s]) => !sameShape(s, shapes[0][1])))
      throw new NodeError(`expects inputs of the same shape, got ${describeAll(shapes)}`);
    return { out: [...shapes[0][1]] };
  },
  build(_p, _inputs, ctx) {
    return applyMerge(tf.layers.add({ name: ctx.layerName() }));
  },
});

export const mergeNodes = [concat, add];
