// The checkpoint file: its format and a parser that refuses what is truncated, corrupted or of
// another kind. No tfjs here, so the page can read a file before handing it to the worker.
import type * as tf from '@tensorflow/tfjs';
import type { BatcherState } from '../data/batcher';
import type { CharVocabJSON } from '../data/text';

export const CHECKPOINT_FORMAT = 'genloom.checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface SavedTensor {
  name: string;
  shape: number[];
  /** float32 values, little-endian, base64. */
  data: string;
}

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** This checkpoint's id: the graph's hash, the step and the moment it was written. */
  id: string;
  /** The checkpoint the run started from, if it did not start from scratch. */
  parent: string | null;
  graphName: string;
  graphHash: string;
  step: number;
  /** The step the run's learning-rate schedule and calibration count from, when it began from imported weights (absent: 0). */
  origin?: number;
  losses: Record<string, number>;
  /** Network weights, as `exportWeights` gives them, with each network's bytes in base64. */
  networks: Record<string, { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: string }>;
  /** Frozen reference copies (the model a fine-tune started from), by the network they copy. */
  references?: Checkpoint['networks'];
  tokenizer?: CharVocabJSON;
  /** The moving average of the sampled networks' weights (training setting `ema`), in their order; absent without one. */
  average?: SavedTensor[];
  /** Per training phase, in plan order: the optimizer's state (its iteration count first). */
  optimizers: SavedTensor[][];
  data: BatcherState;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a checkpoint file, refusing anything truncated, corrupted or of another format with the reason. */
export function parseCheckpoint(text: string): Checkpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`the checkpoint is not valid JSON (truncated or corrupted?): ${(err as Error).message}`);
  }
  if (!isObject(raw) || raw.format !== CHECKPOINT_FORMAT) throw new Error(`not a ${CHECKPOINT_FORMAT} file`);
  if (raw.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint version ${String(raw.version)} is not supported (expected ${CHECKPOINT_VERSION})`);
  const missing = ['id', 'graphHash', 'step', 'networks', 'optimizers', 'data'].filter((k) => !(k in raw));
  if (missing.length) throw new Error(`the checkpoint lacks ${missing.join(', ')}`);
  if (!Number.isInteger(raw.step) || (raw.step as number) < 0) throw new Error(`the checkpoint's step is ${String(raw.step)}, expected a whole number ≥ 0`);
  if (raw.origin !== undefined && !(Number.isInteger(raw.origin) && (raw.origin as number) >= 0 && (raw.origin as number) <= (raw.step as number)))
    throw new Error(`the checkpoint's origin is ${String(raw.origin)}, expected a whole number from 0 to its step ${String(raw.step)}`);
  if (!isObject(raw.networks) || !Array.isArray(raw.optimizers) || !isObject(raw.data))
    throw new Error('the checkpoint is malformed: networks must be an object, optimizers a list, data an object');
  return raw as unknown as Checkpoint;
}

/**
 * The nodes a file holds weights for, by their layer names (a node's id made safe for tfjs: `layer/weight`
 * or `layer__part/weight`), in the file's order.
 */
export function nodesWithWeights(networks: Record<string, { weightSpecs: readonly { name: string }[] }>): string[] {
  const out = new Set<string>();
  for (const a of Object.values(networks)) for (const spec of a.weightSpecs) out.add(spec.name.split('/')[0].split('__')[0]);
  return [...out];
}
