// The DataBatcher the trainer hands to dataset nodes: random batches as tensors keyed by the node's
// output ports. Each (node, split) pair draws from its own seeded stream, so evaluating on the
// test split never changes the training batches, and a run is reproducible from its seed.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { LoadedDataset } from './datasets';
import { deriveSeed, Rng, type RngState } from '../../nodes/rng';
import { lineEnd, PAD_TARGET, type TextBinding, type TextSplit } from './text';
import { preferenceBatch, type PreferencePool } from './preference-batches';

/**
 * What a data node reads: an image/points set, a text set with that node's context length, or a
 * pool of preference pairs.
 */
export type BatchSource = LoadedDataset | TextBinding | { preferences: PreferencePool };

type Split = 'train' | 'test';

function isText(s: BatchSource): s is TextBinding {
  return 'text' in s && 'contextLength' in s;
}

function isExamples(s: BatchSource): s is LoadedDataset {
  return 'train' in s && 'test' in s;
}

/** Where every stream of a batcher stands, so a resumed run draws the batches an unbroken one would. */
export interface BatcherState {
  rngs: Record<string, RngState>;
  epochs: Record<string, { order: number[]; cursor: number }>;
}

/** A DataBatcher whose position can be saved and restored. */
export interface ResumableBatcher extends DataBatcher {
  snapshot(): BatcherState;
  restore(state: BatcherState): void;
}

/** Walks a fresh permutation each epoch, so every example is seen once before any repeats. */
class EpochSampler {
  order: Int32Array;
  cursor: number;
  constructor(
    private readonly count: number,
    private readonly rng: Rng,
  ) {
    this.order = new Int32Array(count);
    this.cursor = count;
  }
  next(): number {
    if (this.cursor >= this.count) {
      for (let i = 0; i < this.count; i++) this.order[i] = i;
      this.rng.shuffle(this.order);
      this.cursor = 0;
    }
    return this.order[this.cursor++];
  }
}

function exampleBatch(ds: LoadedDataset, split: Split, n: number, sampler: { next(): number }): Record<string, tf.Tensor> {
  const data = ds[split];
  const size = ds.exampleShape.reduce((a, b) => a * b, 1);
  const classes = ds.info.classes;
  const x = new Float32Array(n * size);
  const oneHot = classes && data.labels ? new Float32Array(n * classes) : null;
  for (let b = 0; b < n; b++) {
    const i = sampler.next();
    x.set(data.x.subarray(i * size, (i + 1) * size), b * size);
    if (oneHot) oneHot[b * classes! + data.labels![i]] = 1;
  }
  const out: Record<string, tf.Tensor> = { x: tf.tensor(x, [n, ...ds.exampleShape], 'float32') };
  if (oneHot) out.label = tf.tensor2d(oneHot, [n, classes!], 'float32');
  return out;
}

/** How many window starts fit a context of T tokens (plus the one-token shift for targets). */
function validStarts(split: TextSplit, T: number): number {
  const last = split.tokens.length - T - 1;
  if (!split.starts) return Math.max(0, last + 1);
  let k = 0;
  while (k < split.starts.length && split.starts[k] <= last) k++;
  return k;
}

function textBatch(bind: TextBinding, split: Split, n: number, rng: Rng, nodeId: string): Record<string, tf.Tensor> {
  const data = bind.text[split];
  const T = bind.contextLength;
  if (!Number.isInteger(T) || T < 1) throw new Error(`node "${nodeId}": context length must be a positive integer, got ${T}`);
  if (bind.perLine) return lineBatch(data, T, n, () => rng.int(data.starts?.length ?? 0), nodeId);
  const available = validStarts(data, T);
  if (available === 0) {
    throw new Error(
      `node "${nodeId}": context length ${T} is too long for the ${split} split of "${bind.text.info.name}" (${data.tokens.length} tokens)`,
    );
  }
  const tokens = new Int32Array(n * T);
  const targets = new Int32Array(n * T);
  for (let b = 0; b < n; b++) {
    const k = rng.int(available);
    const s = data.starts ? data.starts[k] : k;
    tokens.set(data.tokens.subarray(s, s + T), b * T); // (T)
    targets.set(data.tokens.subarray(s + 1, s + T + 1), b * T); // (T), shifted by one
  }
  return { tokens: tf.tensor2d(tokens, [n, T], 'int32'), targets: tf.tensor2d(targets, [n, T], 'int32') };
}

/**
 * One line per example, as makemore trains: the end token, the line, its end token, then padding
 * (end tokens in, PAD_TARGET out). A line longer than T - 1 characters is cut after T targets.
 */
function lineBatch(data: TextSplit, T: number, n: number, pick: () => number, nodeId: string): Record<string, tf.Tensor> {
  const starts = data.starts;
  if (!starts || starts.length === 0) throw new Error(`node "${nodeId}": one line per example needs a corpus of lines`);
  const tokens = new Int32Array(n * T); // the end token is id 0, so padding inputs need no writing
  const targets = new Int32Array(n * T).fill(PAD_TARGET);
  for (let b = 0; b < n; b++) {
    const k = pick();
    const s = starts[k];
    const len = Math.min(T, lineEnd(data, starts, k) - s);
    tokens.set(data.tokens.subarray(s, s + len), b * T);
    targets.set(data.tokens.subarray(s + 1, s + 1 + len), b * T);
  }
  return { tokens: tf.tensor2d(tokens, [n, T], 'int32'), targets: tf.tensor2d(targets, [n, T], 'int32') };
}

/** How many examples a source's test split lists, one by one: images or points, or lines taken one per example; else null. */
function fixedTestCount(source: BatchSource): number | null {
  if (isExamples(source)) return source.test.count;
  if (isText(source) && source.perLine) return source.text.test.starts?.length ?? null;
  return null;
}

/**
 * A batcher over the datasets bound to each dataset node. Returned tensors belong to the caller:
 * call it inside tf.tidy (as the trainer does) or dispose them.
 */
export function createBatcher(byNodeId: Record<string, BatchSource>, seed: number): ResumableBatcher {
  const rngs = new Map<string, Rng>();
  const samplers = new Map<string, EpochSampler>();
  const rngFor = (key: string) => {
    let r = rngs.get(key);
    if (!r) rngs.set(key, (r = new Rng(deriveSeed(seed, key))));
    return r;
  };
  return {
    snapshot() {
      const out: BatcherState = { rngs: {}, epochs: {} };
      for (const [k, r] of rngs) out.rngs[k] = r.snapshot();
      for (const [k, e] of samplers) out.epochs[k] = { order: Array.from(e.order), cursor: e.cursor };
      return out;
    },
    restore(state) {
      // Every stream is checked before any moves, so a state that does not fit changes nothing.
      for (const [k, e] of Object.entries(state.epochs)) {
        const [nodeId, split] = k.split('\u0000') as [string, Split];
        const source = byNodeId[nodeId];
        if (!source || !isExamples(source) || source[split]?.count !== e.order.length)
          throw new Error(`the saved data position for node "${nodeId}" does not fit its dataset here`);
      }
      for (const k of Object.keys(state.rngs)) {
        if (!byNodeId[k.split('\u0000')[0]]) throw new Error(`the saved data position names node "${k.split('\u0000')[0]}", which reads no data here`);
      }
      for (const [k, r] of Object.entries(state.rngs)) rngFor(k).restore(r);
      for (const [k, e] of Object.entries(state.epochs)) {
        const sampler = new EpochSampler(e.order.length, rngFor(k));
        sampler.order = Int32Array.from(e.order);
        sampler.cursor = e.cursor;
        samplers.set(k, sampler);
      }
    },
    batch(nodeId, n, split) {
      const source = byNodeId[nodeId];
      if (!source) {
        const bound = Object.keys(byNodeId);
        throw new Error(`no dataset is bound to node "${nodeId}" (bound: ${bound.length ? bound.join(', ') : 'none'})`);
      }
      if (!Number.isInteger(n) || n < 1) throw new Error(`node "${nodeId}": batch size must be a positive integer, got ${n}`);
      if (split !== 'train' && split !== 'test') throw new Error(`node "${nodeId}": split must be "train" or "test", got "${String(split)}"`);
      const key = `${nodeId}\u0000${split}`;
      if (isText(source)) return textBatch(source, split, n, rngFor(key), nodeId);
      if ('preferences' in source) return preferenceBatch(source.preferences, split, n, rngFor(key), nodeId);
      let sampler = samplers.get(key);
      if (!sampler) samplers.set(key, (sampler = new EpochSampler(source[split].count, rngFor(key))));
      return exampleBatch(source, split, n, sampler);
    },
    heldOutCount(nodeId) {
      const source = byNodeId[nodeId];
      return source ? fixedTestCount(source) : null;
    },
    heldOut(nodeId, start, n) {
      const source = byNodeId[nodeId];
      const count = source ? fixedTestCount(source) : null;
      if (!source || count === null) return null;
      if (!(Number.isInteger(start) && Number.isInteger(n) && start >= 0 && n >= 1 && start + n <= count))
        throw new Error(`node "${nodeId}": held-out examples ${start} to ${start + n - 1} lie outside its ${count} test examples`);
      let i = start;
      if (isText(source)) return lineBatch(source.text.test, source.contextLength, n, () => i++, nodeId);
      return isExamples(source) ? exampleBatch(source, 'test', n, { next: () => i++ }) : null;
    },
  };
}
