// Token-by-token text generation from any language model given as a logits function, and the
// attention weights of one sequence for display. Knows nothing about graphs or the trainer.
import * as tf from '@tensorflow/tfjs';
import { withAttentionProbe } from './attention-layer';
import { Rng } from '../rng';

/** What sampling needs of a tokenizer (CharTokenizer fits). */
export interface TextTokenizer {
  readonly endToken: number;
  encode(text: string): ArrayLike<number>;
  decode(ids: ArrayLike<number>, end?: string): string;
}

/** A model's forward pass: token ids [1, t] (int32) → logits [1, t, V]. */
export type LogitsFn = (tokens: tf.Tensor2D) => tf.Tensor;

export interface SampleTextOptions {
  logitsFn: LogitsFn;
  tokenizer: TextTokenizer;
  /** The model's context length T: only the last T tokens are fed back. */
  contextLength: number;
  prompt?: string;
  maxTokens: number;
  /** Softmax temperature; 0 picks the most likely token every time. */
  temperature?: number;
  /** Sample among the k most likely tokens only; 0 keeps them all. */
  topK?: number;
  /** Nucleus sampling: the smallest set of most likely tokens whose probability reaches p; 1 keeps all. */
  topP?: number;
  seed: number;
  /**
   * Start the context with the end-of-text token, as line corpora (names) start every example;
   * running text (a novel) has none, so pass false and give a prompt.
   */
  primeWithEnd?: boolean;
  /** Stop when the model emits the end token (the end of a name). */
  stopAtEnd?: boolean;
  /**
   * Right-pad each window to exactly `contextLength` (with the end token) so a model built for a
   * fixed T accepts it. Exact for causal models: no position sees the padding after it.
   */
  padToContext?: boolean;
  /** How an end token reads in the text when sampling does not stop at it (default a newline). */
  endText?: string;
  /** Called with each new token's text as it is chosen. */
  onToken?: (text: string, id: number) => void;
}

export interface SampledText {
  /** The generated text, prompt excluded; a final end token is not part of it. */
  text: string;
  ids: number[];
  stoppedAtEnd: boolean;
}

export async function sampleText(o: SampleTextOptions): Promise<SampledText> {
  if (!(o.contextLength >= 1)) throw new Error(`sampling needs a context length of at least 1, got ${o.contextLength}`);
  const rng = new Rng(o.seed);
  const context: number[] = [...(o.primeWithEnd === false ? [] : [o.tokenizer.endToken]), ...Array.from(o.tokenizer.encode(o.prompt ?? ''))];
  if (context.length === 0) throw new Error('sampling running text needs a prompt (primeWithEnd is false and the prompt is empty)');
  const pad = o.padToContext !== false;
  const ids: number[] = [];
  let text = '';
  for (let n = 0; n < o.maxTokens; n++) {
    const window = context.slice(-o.contextLength); // (t,)
    const logits = await lastLogits(o.logitsFn, window, pad ? o.contextLength : window.length, o.tokenizer.endToken);
    const id = pickToken(logits, o.temperature ?? 1, o.topK ?? 0, rng, o.topP ?? 1);
    if (id === o.tokenizer.endToken && o.stopAtEnd !== false) return { text, ids, stoppedAtEnd: true };
    context.push(id);
    ids.push(id);
    const piece = o.tokenizer.decode([id], o.endText ?? '\n');
    text += piece;
    o.onToken?.(piece, id);
  }
  return { text, ids, stoppedAtEnd: false };
}

/** The logits at the window's last real position, read back and the tensors freed. */
async function lastLogits(logitsFn: LogitsFn, window: number[], length: number, padId: number): Promise<Float32Array> {
  const row = tf.tidy(() => {
    const ids = Int32Array.from({ length }, (_, i) => (i < window.length ? window[i] : padId));
    const logits = logitsFn(tf.tensor2d(ids, [1, length], 'int32')); // (1, T, V)
    const V = logits.shape[logits.rank - 1];
    return tf.reshape(tf.slice(logits, [0, window.length - 1, 0], [1, 1, V]), [V]); // (V,)
  });
  try {
    return (await row.data()) as Float32Array;
  } finally {
    row.dispose();
  }
}

/**
 * One token id from logits: keep the `topK` largest (0: all), divide by `temperature` (0: the
 * argmax), softmax, keep the nucleus of mass `topP` (Holtzman et al. 2020; 1: all), and draw with
 * `rng`. Ties at the k-th value are kept, so k is a lower bound.
 */
export function pickToken(logits: ArrayLike<number>, temperature: number, topK: number, rng: Rng, topP = 1): number {
  const V = logits.length;
  if (V === 0) throw new Error('cannot sample from empty logits');
  let best = 0;
  for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
  if (temperature <= 0) return best;

  let cutoff = -Infinity;
  if (topK > 0 && topK < V) cutoff = Array.from(logits).sort((a, b) => b - a)[topK - 1];
  const weights = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) {
    if (logits[i] < cutoff) continue;
    weights[i] = Math.exp((logits[i] - logits[best]) / temperature);
    total += weights[i];
  }
  if (topP < 1) total = keepNucleus(weights, total, topP);
  let r = rng.next() * total;
  for (let i = 0; i < V; i++) {
    if (weights[i] === 0) continue;
    r -= weights[i];
    if (r < 0) return i;
  }
  return best;
}

/** Zeroes every weight outside the smallest most-likely set holding `p` of the mass; returns the new total. */
function keepNucleus(weights: Float64Array, total: number, p: number): number {
  const order = Array.from(weights.keys()).filter((i) => weights[i] > 0).sort((a, b) => weights[b] - weights[a]);
  let kept = 0;
  let n = 0;
  while (n < order.length && kept < p * total) kept += weights[order[n++]];
  for (const i of order.slice(n)) weights[i] = 0;
  return kept;
}

/** One attention layer's weights for one sequence: row-major [heads, length, length]. */
export interface AttentionMap {
  layer: string;
  heads: number;
  length: number;
  /** weights[h·length² + i·length + j]: how much query position i attends to key position j in head h. */
  weights: Float32Array;
}

/**
 * Runs `forward` once on `ids` and collects every attention layer's weights, in execution order.
 * With `contextLength` the sequence is right-padded (with `padId`) to it, and the maps cropped back.
 * The Float32Arrays are fresh, ready to send as transferables.
 */
export async function attentionMaps(
  forward: (tokens: tf.Tensor2D) => unknown,
  ids: ArrayLike<number>,
  options: { contextLength?: number; padId?: number } = {},
): Promise<AttentionMap[]> {
  const t = ids.length;
  const length = Math.max(t, options.contextLength ?? t);
  const kept: { layer: string; weights: tf.Tensor3D }[] = [];
  tf.tidy(() => {
    const padded = Int32Array.from({ length }, (_, i) => (i < t ? ids[i] : (options.padId ?? 0)));
    withAttentionProbe(
      (layer, w) => {
        const [, nh] = w.shape; // w: (B, nh, T, T)
        kept.push({ layer, weights: tf.keep(tf.reshape(tf.slice(w, [0, 0, 0, 0], [1, nh, t, t]), [nh, t, t])) }); // (nh, t, t)
      },
      () => {
        forward(tf.tensor2d(padded, [1, length], 'int32'));
      },
    );
  });
  const out: AttentionMap[] = [];
  try {
    for (const k of kept) {
      out.push({ layer: k.layer, heads: k.weights.shape[0], length: t, weights: (await k.weights.data()) as Float32Array });
    }
  } finally {
    tf.dispose(kept.map((k) => k.weights));
  }
  return out;
}
