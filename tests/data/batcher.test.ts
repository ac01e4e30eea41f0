import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { createBatcher } from '../../runtime/data/batcher';
import { loadDataset, type LoadedDataset } from '../../runtime/data/datasets';
import { loadTextDataset, type TextDataset } from '../../runtime/data/text';

let mnist: LoadedDataset;
let ring: LoadedDataset;
let names: TextDataset;
let novel: TextDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  [mnist, ring, names, novel] = await Promise.all([
    loadDataset('mnist', nodeAssets),
    loadDataset('ring', nodeAssets),
    loadTextDataset('names', nodeAssets),
    loadTextDataset('moby-dick', nodeAssets),
  ]);
});

const sources = () => ({
  d: mnist,
  p: ring,
  n: { text: names, contextLength: 8 },
  m: { text: novel, contextLength: 32 },
});

/** Runs `f` on a batch inside tidy and returns plain arrays. */
function take(b: ReturnType<typeof createBatcher>, node: string, n: number, split: 'train' | 'test' = 'train') {
  return tf.tidy(() => {
    const out = b.batch(node, n, split);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) }]));
  });
}

describe('createBatcher', () => {
  it('returns image batches keyed by the dataset ports, with one-hot labels', () => {
    const b = take(createBatcher(sources(), 1), 'd', 16);
    expect(b.x.shape).toEqual([16, 28, 28, 1]);
    expect(b.label.shape).toEqual([16, 10]);
    for (let i = 0; i < 16; i++) {
      const row = b.label.data.slice(i * 10, i * 10 + 10);
      expect(row.filter((v) => v === 1).length).toBe(1);
      expect(row.reduce((a, c) => a + c, 0)).toBe(1);
    }
    expect(Math.min(...b.x.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...b.x.data)).toBeLessThanOrEqual(1);
  });

  it('pairs each image with its own label', () => {
    const b = take(createBatcher({ d: mnist }, 3), 'd', 8);
    // Find each batch image in the training set and compare labels.
    for (let i = 0; i < 8; i++) {
      const img = b.x.data.slice(i * 784, (i + 1) * 784);
      let found = -1;
      for (let j = 0; j < mnist.train.count && found < 0; j++) {
        let same = true;
        for (let k = 0; k < 784 && same; k += 1) same = Math.abs(mnist.train.x[j * 784 + k] - img[k]) < 1e-6;
        if (same) found = j;
      }
      expect(found).toBeGreaterThanOrEqual(0);
      expect(b.label.data[i * 10 + mnist.train.labels![found]]).toBe(1);
    }
  });

  it('is deterministic per seed, different on every call and across seeds', () => {
    const a = createBatcher(sources(), 42);
    const b = createBatcher(sources(), 42);
    const c = createBatcher(sources(), 43);
    for (const node of ['d', 'p', 'n', 'm']) {
      const a1 = take(a, node, 4);
      const a2 = take(a, node, 4);
      const b1 = take(b, node, 4);
      const c1 = take(c, node, 4);
      const key = node === 'n' || node === 'm' ? 'tokens' : 'x';
      expect(b1[key].data).toEqual(a1[key].data);
      expect(a2[key].data).not.toEqual(a1[key].data);
      expect(c1[key].data).not.toEqual(a1[key].data);
    }
  });

  it('keeps the training stream unchanged when test batches are drawn in between', () => {
    const a = createBatcher(sources(), 7);
    const b = createBatcher(sources(), 7);
    take(a, 'd', 4);
    take(b, 'd', 4);
    take(b, 'd', 32, 'test');
    expect(take(b, 'd', 4).x.data).toEqual(take(a, 'd', 4).x.data);
  });

  it('draws test batches from the held-out split only', () => {
    const batch = take(createBatcher({ p: ring }, 5), 'p', 64, 'test');
    const testPoints = new Set<string>();
    for (let i = 0; i < ring.test.count; i++) testPoints.add(`${ring.test.x[2 * i]},${ring.test.x[2 * i + 1]}`);
    for (let i = 0; i < 64; i++) {
      expect(testPoints.has(`${Math.fround(batch.x.data[2 * i])},${Math.fround(batch.x.data[2 * i + 1])}`)).toBe(true);
    }
  });

  it('visits every example once per epoch', () => {
    const small = { ...ring, train: { x: ring.train.x.subarray(0, 20), labels: ring.train.labels!.subarray(0, 10), count: 10 } };
    const b = take(createBatcher({ p: small }, 1), 'p', 10);
    const xs = new Set<number>();
    for (let i = 0; i < 10; i++) xs.add(b.x.data[2 * i]);
    expect(xs.size).toBe(10);
  });

  it('reads the test split in stored order for a measurement over all of it, leaving the streams alone', () => {
    const b = createBatcher(sources(), 9);
    const fresh = createBatcher(sources(), 9);
    expect(b.heldOutCount!('d')).toBe(mnist.test.count);
    expect(b.heldOutCount!('n')).toBeNull();
    const [head, tail] = tf.tidy(() => [b.heldOut!('d', 0, 3)!, b.heldOut!('d', mnist.test.count - 2, 2)!].map((o) => Array.from(o.x.dataSync())));
    const size = 28 * 28;
    expect(head).toEqual(Array.from(mnist.test.x.subarray(0, 3 * size)));
    expect(tail).toEqual(Array.from(mnist.test.x.subarray((mnist.test.count - 2) * size, mnist.test.count * size)));
    const labels = tf.tidy(() => Array.from(b.heldOut!('d', 5, 1)!.label.argMax(1).dataSync()));
    expect(labels).toEqual([mnist.test.labels![5]]);
    expect(() => b.heldOut!('d', mnist.test.count - 1, 2)).toThrow(/held-out examples .* lie outside its \d+ test examples/);
    expect(b.heldOut!('n', 0, 1)).toBeNull();
    expect(take(b, 'd', 4, 'test')).toEqual(take(fresh, 'd', 4, 'test'));
  });

  it('cuts text windows with targets shifted by one token', () => {
    const m = take(createBatcher(sources(), 2), 'm', 3);
    expect(m.tokens.shape).toEqual([3, 32]);
    expect(m.tokens.dtype).toBe('int32');
    expect(m.targets.shape).toEqual([3, 32]);
    for (let i = 0; i < 3; i++) {
      expect(m.targets.data.slice(i * 32, i * 32 + 31)).toEqual(m.tokens.data.slice(i * 32 + 1, i * 32 + 32));
    }
    const text = novel.tokenizer.decode(m.tokens.data.slice(0, 32));
    expect(text.length).toBe(32);
  });

  it('starts every names window at an end token, so windows begin as sampling does', () => {
    const n = take(createBatcher(sources(), 2), 'n', 20);
    for (let i = 0; i < 20; i++) {
      expect(n.tokens.data[i * 8]).toBe(names.tokenizer.endToken);
      expect(n.tokens.data[i * 8 + 1]).not.toBe(names.tokenizer.endToken);
    }
  });

  it('gives one name per example with lines: the name, its end token, then padding the loss leaves out', () => {
    const T = 12;
    const b = take(createBatcher({ n: { text: names, contextLength: T, perLine: true } }, 3), 'n', 40);
    const training = new Set(names.tokenizer.decode(names.train.tokens, '\n').split('\n').filter(Boolean));
    const end = names.tokenizer.endToken;
    for (let i = 0; i < 40; i++) {
      const tokens = b.tokens.data.slice(i * T, (i + 1) * T);
      const targets = b.targets.data.slice(i * T, (i + 1) * T);
      expect(tokens[0]).toBe(end);
      const length = tokens.indexOf(end, 1) === -1 ? T - 1 : tokens.indexOf(end, 1) - 1;
      const name = names.tokenizer.decode(tokens.slice(1, 1 + length));
      // A name of T - 1 characters or more is cut: its window has no end token.
      if (length < T - 1) expect(training.has(name), name).toBe(true);
      else expect([...training].some((t) => t.startsWith(name))).toBe(true);
      expect(targets.slice(0, length)).toEqual(tokens.slice(1, 1 + length));
      if (length < T - 1) {
        expect(targets[length]).toBe(end);
        expect(targets.slice(length + 1)).toEqual(new Array(T - length - 1).fill(-1));
        expect(tokens.slice(length + 1)).toEqual(new Array(T - length - 1).fill(end));
      }
    }
    // With T = 3 most names are cut; no window reaches past its name's end token into the next name.
    const short = take(createBatcher({ n: { text: names, contextLength: 3, perLine: true } }, 4), 'n', 50);
    for (let i = 0; i < 50; i++) {
      const targets = short.targets.data.slice(i * 3, i * 3 + 3);
      const stop = targets.indexOf(end);
      if (stop >= 0) expect(targets.slice(stop + 1).every((t) => t === -1)).toBe(true);
    }
  });

  it('refuses one line per example on a running text, naming the node', () => {
    const b = createBatcher({ m: { text: novel, contextLength: 16, perLine: true } }, 1);
    expect(() => tf.tidy(() => b.batch('m', 2, 'train').tokens)).toThrow(/node "m": one line per example needs a corpus of lines/);
  });

  it('explains a context longer than the split, and an unbound node', () => {
    const tiny = { ...novel, test: { tokens: novel.test.tokens.subarray(0, 10), count: 10 } };
    const b = createBatcher({ m: { text: tiny, contextLength: 16 } }, 1);
    expect(() => tf.tidy(() => b.batch('m', 2, 'test').tokens)).toThrow(/context length 16 is too long for the test split/);
    expect(() => b.batch('nope', 2, 'train')).toThrow(/no dataset is bound to node "nope" \(bound: m\)/);
  });

  it('leaks no tensors when batches are taken inside tidy', () => {
    const b = createBatcher(sources(), 9);
    take(b, 'd', 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        for (const node of ['d', 'p', 'n', 'm']) b.batch(node, 8, i % 2 ? 'test' : 'train');
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
