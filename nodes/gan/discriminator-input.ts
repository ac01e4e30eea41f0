// What a discriminator group does to each batch before its inner network: a conditional GAN's label
// is joined to the data (Mirza & Osindero 2014: concatenated to a vector's features; for images, as
// one constant channel per class, as conditional DCGANs do), then PacGAN packing (Lin et al. 2018)
// joins m examples into one along the last axis, so the network judges m samples at once and a
// generator that repeats itself is easier to spot. Real and fake batches get the same treatment.
import * as tf from '@tensorflow/tfjs';
import { formatShape } from '../shape';
import { NodeError, type Shape } from '../types';

/** The inner network's input shape for data `x` ([batch, …, c]), optional labels [batch, k] and pack m. */
export function innerInputShape(x: Shape, label: Shape | undefined, pack: number): Shape {
  const c = x[x.length - 1];
  if (x.length < 2 || c === null) throw new NodeError(`expects data [batch, …, features], got ${formatShape(x)}`);
  let k = 0;
  if (label) {
    if (label.length !== 2 || label[1] === null)
      throw new NodeError(`expects labels [batch, classes] (one-hot), got ${formatShape(label)}`);
    k = label[1];
  }
  return [x[0], ...x.slice(1, -1), (c + k) * pack];
}

/** [B, …, c] and [B, k] → [B, …, c + k], the labels repeated at every position. */
export function joinLabel(x: tf.Tensor, label: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (x.rank === 2) return tf.concat([x, label], 1);
    const [b, k] = label.shape as [number, number];
    const at = [b, ...x.shape.slice(1, -1).map(() => 1), k];
    const everywhere = tf.mul(tf.ones([...x.shape.slice(0, -1), k]), tf.reshape(label, at)); // (B, …, k)
    return tf.concat([x, everywhere], -1);
  });
}

/** [B, …, c] → [B/m, …, m·c]: examples i·m … i·m + m − 1 side by side along the last axis. */
export function packExamples(x: tf.Tensor, m: number, nodeLabel: string): tf.Tensor {
  if (m === 1) return x;
  const [b, ...rest] = x.shape;
  if (b % m !== 0) throw new Error(`${nodeLabel} packs ${m} examples at a time, but the batch of ${b} is not a multiple of ${m}`);
  const c = rest[rest.length - 1];
  const spatial = rest.slice(0, -1);
  return tf.tidy(() => {
    const grouped = tf.reshape(x, [b / m, m, ...spatial, c]); // (B/m, m, …, c)
    // Move the m axis next to the channels, so each position holds its m examples' channels in a row.
    const perm = [0, ...spatial.map((_, i) => i + 2), 1, spatial.length + 2];
    const moved = spatial.length ? tf.transpose(grouped, perm) : grouped; // (B/m, …, m, c)
    return tf.reshape(moved, [b / m, ...spatial, m * c]);
  });
}
