// Batches of preference pairs for a preferences node: `chosen`, `rejected` and `tie` tensors. The pool
// is live: the feedback loop appends pairs between rounds, and each pair keeps its split (a pair's
// index decides it), so held-out pairs never leak into training as the set grows.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../../nodes/rng';
import { TEXT_PAD } from '../../nodes/feedback/preference-data';
import type { PreferenceSample, PreferenceSet } from '../../nodes/feedback/preferences';
import type { CharTokenizer } from './text';
import type { ScriptedFeedback } from '../../nodes/data-needs';

export interface PreferencePool {
  /** The name the pairs go by (an upload's, or the scripted rater's). */
  name: string;
  set: PreferenceSet;
  /** The share of pairs held out. */
  testFraction: number;
  /** One sample's shape: [h, w, c], [2], or [T + 1] tokens for text. */
  exampleShape: number[];
  /** Text: the language model's vocabulary. */
  tokenizer?: CharTokenizer;
  /** Set when a scripted rule rates the pairs (the headless feedback loop). */
  scripted?: ScriptedFeedback;
}

const SPLIT_SEED = 23;

/** Whether pair `index` is held out; fixed per index, so it never changes as pairs are added. */
export function isHeldOut(index: number, testFraction: number): boolean {
  // The first draw of a generator seeded by the index: FNV alone leaves neighbouring indices close.
  return new Rng(deriveSeed(SPLIT_SEED, String(index))).next() < testFraction;
}

/** Indices of the pairs in one split. */
export function splitIndices(pool: PreferencePool, split: 'train' | 'test'): number[] {
  const out: number[] = [];
  for (let i = 0; i < pool.set.pairs.length; i++) if (isHeldOut(i, pool.testFraction) === (split === 'test')) out.push(i);
  return out;
}

/**
 * A name as the language model reads it: [end] c1 … cn [end], padded with TEXT_PAD to `length`
 * (the context plus one, so tokens and next-token targets both come from it). A longer name is cut.
 */
export function encodeSequence(tokenizer: CharTokenizer, text: string, length: number, where: string): Int32Array {
  let ids: Int32Array;
  try {
    ids = tokenizer.encode(text);
  } catch (err) {
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out = new Int32Array(length).fill(TEXT_PAD);
  out[0] = tokenizer.endToken;
  out.set(ids.subarray(0, length - 1), 1);
  if (ids.length + 1 < length) out[ids.length + 1] = tokenizer.endToken;
  return out;
}

function sampleValues(pool: PreferencePool, s: PreferenceSample, where: string): ArrayLike<number> {
  if (pool.set.kind === 'text') {
    if (!pool.tokenizer) throw new Error(`${where}: text pairs need the language model's vocabulary, and none is loaded`);
    return encodeSequence(pool.tokenizer, s as string, pool.exampleShape[0], where);
  }
  return s as number[];
}

/** Samples as one tensor shaped like the node's `chosen` output (text encoded as the model reads it). */
export function samplesTensor(pool: PreferencePool, samples: readonly PreferenceSample[], nodeId: string): tf.Tensor {
  const size = pool.exampleShape.reduce((a, b) => a * b, 1);
  const text = pool.set.kind === 'text';
  const out = text ? new Int32Array(samples.length * size) : new Float32Array(samples.length * size);
  samples.forEach((s, i) => out.set(sampleValues(pool, s, `preferences "${nodeId}" sample ${i}`), i * size));
  return tf.tensor(out, [samples.length, ...pool.exampleShape], text ? 'int32' : 'float32');
}

export function preferenceBatch(pool: PreferencePool, split: 'train' | 'test', n: number, rng: Rng, nodeId: string): Record<string, tf.Tensor> {
  const idx = splitIndices(pool, split);
  if (idx.length === 0) {
    const what = pool.set.pairs.length === 0 ? 'has no preference pairs yet: rate some samples first' : `has no ${split === 'test' ? 'held-out' : 'training'} pairs among its ${pool.set.pairs.length}`;
    throw new Error(`preferences "${nodeId}" ${what}`);
  }
  const size = pool.exampleShape.reduce((a, b) => a * b, 1);
  const text = pool.set.kind === 'text';
  const chosen = text ? new Int32Array(n * size) : new Float32Array(n * size);
  const rejected = text ? new Int32Array(n * size) : new Float32Array(n * size);
  const tie = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const i = idx[rng.int(idx.length)];
    const pair = pool.set.pairs[i];
    chosen.set(sampleValues(pool, pair.chosen, `preferences "${nodeId}" pairs[${i}].chosen`), b * size);
    rejected.set(sampleValues(pool, pair.rejected, `preferences "${nodeId}" pairs[${i}].rejected`), b * size);
    tie[b] = pair.tie ? 1 : 0;
  }
  const shape = [n, ...pool.exampleShape];
  const dtype = text ? 'int32' : 'float32';
  return { chosen: tf.tensor(chosen, shape, dtype), rejected: tf.tensor(rejected, shape, dtype), tie: tf.tensor1d(tie) };
}
