// Discriminator rejection sampling (Azadi, Olsson, Darrell, Goodfellow & Odena 2019). A discriminator
// trained with a log-loss estimates log(p_data / p_g) in its logit, so keeping each generated
// candidate with probability e^{logit − max} would turn the generator's distribution into the data's
// (exact rejection sampling). The discriminator is not optimal and that keeps almost everything, so
// DRS works with F(x) = log of that probability's odds and keeps a candidate with probability
// σ(F(x) − γ), where a larger γ keeps fewer and only the likeliest. γ is set, as in the paper, at a
// percentile of F over a burn-in batch of candidates, which also gives the largest logit.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

/** Candidates drawn before any is kept: enough for a steady largest logit and percentile of F. */
export const BURN_IN = 1000;
/** Rounds of drawing before the slots still empty take their likeliest candidate instead. */
const MAX_ROUNDS = 50;
/** Keeps F finite at the largest logit seen, where exact rejection sampling accepts for sure. */
const EPS = 1e-6;

/** F(x) for a discriminator logit against the largest logit seen so far. */
export function drsF(logit: number, max: number): number {
  const d = Math.min(logit - max, 0);
  return d - Math.log1p(-Math.exp(d - EPS));
}

/** The p-th percentile (0–100) of `values`, by the nearest rank below. */
export function percentileOf(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error('a percentile of no values');
  return sorted[Math.floor((p / 100) * (sorted.length - 1))];
}

/** The chance DRS keeps a candidate whose F is `f`. */
export function keepChance(f: number, gamma: number): number {
  return 1 / (1 + Math.exp(-(f - gamma)));
}

/** Candidates for some of the output slots: one row of `x` and one discriminator logit per slot asked for. */
export interface Candidates {
  x: tf.Tensor;
  logits: ArrayLike<number>;
}

export interface RejectionOptions {
  count: number;
  seed: number;
  /** γ is this percentile of F over the burn-in candidates; 0 sets γ = 0 (exact rejection sampling). */
  percentile: number;
  /** Draws one candidate for each slot listed (a slot may be listed more than once); round numbers seed the draws. */
  draw(slots: number[], round: number): Candidates;
}

export interface RejectionResult {
  x: tf.Tensor;
  /** Candidates drawn in all, and how many of the samples are a fallback rather than kept. */
  drawn: number;
  fallbacks: number;
}

/**
 * `count` samples, each the first candidate kept for its slot. Slots matter to a conditional
 * generator: a slot's candidates all have its class. Slots still empty after MAX_ROUNDS take the
 * candidate with the largest F they were offered, so a sample is always returned.
 */
export function rejectionSample(opts: RejectionOptions): RejectionResult {
  const { count, seed, percentile } = opts;
  const rng = new Rng((seed ^ 0x0d5a5eed) >>> 0);
  const kept: (Float32Array | null)[] = new Array<Float32Array | null>(count).fill(null);
  const best: { f: number; row: Float32Array | null }[] = Array.from({ length: count }, () => ({ f: -Infinity, row: null }));
  let rowShape: number[] = [];
  let max = -Infinity;
  let gamma = 0;
  let drawn = 0;
  let pending = Array.from({ length: count }, (_, i) => i);
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const repeat = round === 0 ? Math.max(1, Math.ceil(BURN_IN / count)) : 1;
    const slots = Array.from({ length: pending.length * repeat }, (_, i) => pending[i % pending.length]);
    const { x, logits } = opts.draw(slots, round);
    let data: Float32Array;
    try {
      if (x.shape[0] !== slots.length || logits.length !== slots.length)
        throw new Error(`rejection sampling asked for ${slots.length} candidates and got ${x.shape[0]} samples with ${logits.length} scores`);
      rowShape = x.shape.slice(1);
      data = x.dataSync() as Float32Array;
    } finally {
      x.dispose();
    }
    const width = data.length / slots.length;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
    const f = Array.from(logits, (l) => drsF(l, max));
    if (round === 0 && percentile > 0) gamma = percentileOf(f, percentile);
    drawn += slots.length;
    slots.forEach((slot, i) => {
      if (kept[slot]) return;
      const row = () => data.slice(i * width, (i + 1) * width);
      if (rng.next() < keepChance(f[i], gamma)) kept[slot] = row();
      else if (!best[slot].row || f[i] > best[slot].f) best[slot] = { f: f[i], row: row() };
    });
    pending = pending.filter((s) => !kept[s]);
  }
  const width = rowShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count * width);
  let fallbacks = 0;
  for (let s = 0; s < count; s++) {
    const row = kept[s] ?? best[s].row;
    if (!kept[s]) fallbacks++;
    out.set(row!, s * width);
  }
  return { x: tf.tensor(out, [count, ...rowShape]), drawn, fallbacks };
}
