// The noise node's categorical draw (an InfoGAN code): one-hot vectors over the last axis, every
// value about equally often, and a shape with one value refused with the field named.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { noise } from '../../nodes/data';
import { NodeError } from '../../nodes/types';
import { runContext } from '../diffusion/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function draw(shape: number[], batchSize: number, seed = 11): tf.Tensor {
  const params = { shape, distribution: 'categorical' };
  return (noise.run!(runContext(noise, {}, { params, mode: 'train', batchSize, seed })) as { z: tf.Tensor }).z;
}

describe('categorical noise', () => {
  it('draws one-hot rows, each of k values with probability 1/k', () => {
    const before = tf.memory().numTensors;
    const n = 6000;
    const k = 6;
    const z = draw([k], n);
    expect(z.shape).toEqual([n, k]);
    const rows = z.arraySync() as number[][];
    z.dispose();
    for (const row of rows) {
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.filter((v) => v === 0)).toHaveLength(k - 1);
    }
    const counts = Array.from({ length: k }, (_, c) => rows.filter((r) => r[c] === 1).length / n);
    // The standard error of each share over 6,000 draws is ≈ 0.005.
    for (const share of counts) expect(Math.abs(share - 1 / k)).toBeLessThan(0.025);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws a code per position for a shape of several axes, and new codes for a new seed', () => {
    const a = draw([4, 3], 50);
    expect(a.shape).toEqual([50, 4, 3]);
    expect(Array.from(a.sum(-1).dataSync()).every((v) => v === 1)).toBe(true);
    const b = draw([4, 3], 50, 12);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('refuses a code of one value, naming the shape', () => {
    let error: unknown;
    try {
      noise.inferShapes({}, { shape: [1], distribution: 'categorical', truncation: 0 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).message).toMatch(/at least 2 values/);
    expect((error as NodeError).field).toBe('shape');
  });
});
