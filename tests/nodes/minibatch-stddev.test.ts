// Minibatch standard deviation against the paper's recipe written out in plain numbers.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupSizeFor, MinibatchStddev } from '../../nodes/layers/minibatch-stddev';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** For member i: the mean over features of the population std over its group {j : j ≡ i mod B/G}. */
function expected(rows: number[][], g: number): number[] {
  const m = rows.length / g;
  return rows.map((_, i) => {
    const members = rows.filter((_, j) => j % m === i % m);
    const stds = rows[0].map((_, f) => {
      const mu = members.reduce((a, r) => a + r[f], 0) / g;
      return Math.sqrt(members.reduce((a, r) => a + (r[f] - mu) ** 2, 0) / g + 1e-8);
    });
    return stds.reduce((a, b) => a + b, 0) / stds.length;
  });
}

describe('minibatch stddev', () => {
  it('appends each group’s mean feature std as one more feature', () => {
    const rows = [[0, 1, 2], [4, 1, 0], [1, 1, 1], [3, -1, 5], [2, 2, 2], [0, 0, 7]];
    const layer = new MinibatchStddev({ groupSize: 3 });
    const y = (layer.apply(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][];
    const want = expected(rows, 3);
    y.forEach((row, i) => {
      expect(row.slice(0, 3)).toEqual(rows[i]);
      expect(row[3]).toBeCloseTo(want[i], 5);
    });
    // Identical members (a collapsed generator) give 0.
    const same = (layer.apply(tf.ones([3, 2])) as tf.Tensor).arraySync() as number[][];
    same.forEach((r) => expect(r[2]).toBeCloseTo(0, 3));
  });

  it('on images the statistic is a constant extra channel, averaged over positions and channels', () => {
    const x = tf.randomNormal([4, 2, 3, 2], 0, 1, 'float32', 1);
    const y = new MinibatchStddev({ groupSize: 2 }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 2, 3, 3]);
    const flat = (x.arraySync() as number[][][][]).map((img) => img.flat(2));
    const want = expected(flat, 2);
    const extra = (y.slice([0, 0, 0, 2], [4, 2, 3, 1]).arraySync() as number[][][][]).map((img) => img.flat(2));
    extra.forEach((vals, i) => vals.forEach((v) => expect(v).toBeCloseTo(want[i], 5)));
  });

  it('groups shrink to a divisor of the batch', () => {
    expect([groupSizeFor(8, 4), groupSizeFor(6, 4), groupSizeFor(7, 4), groupSizeFor(2, 4)]).toEqual([4, 3, 1, 2]);
  });
});
