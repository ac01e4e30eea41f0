// Minibatch standard deviation (Karras et al. 2018, "Progressive Growing of GANs", §3): the batch is
// split into groups of G; for each group the standard deviation of every feature over its members is
// averaged into one number, which is appended to each member as an extra feature (an extra channel
// for images). A discriminator can then see how varied a batch is, and a collapsed generator,
// whose samples all look alike, is told apart from the data.
import * as tf from '@tensorflow/tfjs';
import { formatShape, need } from '../shape';
import { defineNode, NodeError } from '../types';

export interface MinibatchStddevConfig {
  groupSize: number;
  name?: string;
}

/** The largest group size ≤ `wanted` that divides the batch, so every group is full. */
export function groupSizeFor(batch: number, wanted: number): number {
  let g = Math.max(1, Math.min(wanted, batch));
  while (batch % g !== 0) g--;
  return g;
}

export class MinibatchStddev extends tf.layers.Layer {
  static readonly className = 'GenloomMinibatchStddev';
  readonly groupSize: number;

  constructor(config: MinibatchStddevConfig) {
    super({ name: config.name });
    this.groupSize = config.groupSize;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const last = s[s.length - 1];
    return [...s.slice(0, -1), last === null ? null : last + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // (B, …, C)
      const [batch, ...rest] = x.shape;
      const g = groupSizeFor(batch, this.groupSize);
      // Member i of the batch belongs to group i mod (B/G), as in the paper's reshape.
      const grouped = tf.reshape(x, [g, batch / g, ...rest]); // (G, M, …, C)
      const variance = tf.mean(tf.square(tf.sub(grouped, tf.mean(grouped, 0, true))), 0); // (M, …, C)
      const featureAxes = rest.map((_, i) => i + 1);
      const perGroup = tf.mean(tf.sqrt(tf.add(variance, 1e-8)), featureAxes); // (M)
      // Broadcast to (G, M, …, 1) by multiplying with ones: Tile's gradient is costly on WASM.
      const ones = tf.ones([g, batch / g, ...rest.slice(0, -1), 1]);
      const column = tf.mul(ones, tf.reshape(perGroup, [1, batch / g, ...rest.map(() => 1)]));
      return tf.concat([x, tf.reshape(column, [batch, ...rest.slice(0, -1), 1])], -1); // (B, …, C+1)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize };
  }
}

tf.serialization.registerClass(MinibatchStddev);

export const minibatchStddev = defineNode({
  type: 'minibatchStddev',
  label: 'Minibatch stddev',
  category: 'layers',
  role: 'layer',
  doc: 'Appends the batch’s average standard deviation (per group of G examples) as one more feature, so a discriminator can see a lack of variety.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: {
    groupSize: {
      kind: 'int', default: 4, min: 2, max: 1024, label: 'group size',
      doc: 'Examples per group (Karras et al. use 4); reduced to a divisor of the batch when it does not divide it.',
    },
  },
  keyParams: ['groupSize'],
  inferShapes(inputs) {
    const x = need(inputs, 'in');
    const last = x[x.length - 1];
    if (x.length < 2 || last === null) throw new NodeError(`expects input [batch, …, features], got ${formatShape(x)}`);
    return { out: [...x.slice(0, -1), last + 1] };
  },
  build(p, _inputs, ctx) {
    const layer = new MinibatchStddev({ groupSize: p.groupSize, name: ctx.layerName() });
    return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
  },
});
