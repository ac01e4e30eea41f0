// The reverse diffusion process around an ε-predicting denoiser: DDPM (Ho et al. 2020, eq. 6–7 and
// Algorithm 2) and DDIM (Song, Meng & Ermon 2021, eq. 12 and 16). Both walk a decreasing subsequence
// of steps τ; DDPM on a subsequence uses the respaced β (Nichol & Dhariwal 2021, §4), which for the
// full sequence is the original DDPM.
import * as tf from '@tensorflow/tfjs';
import type { NoiseSchedule } from '../types';

/** The network's output at (x_t, t); t is float32 [batch, 1] holding the step index (0 … T-1). */
export type Denoiser = (xt: tf.Tensor, t: tf.Tensor) => tf.Tensor;

/**
 * What the denoiser predicts: the noise ε (Ho et al. 2020), the clean x0, or the velocity
 * v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans & Ho 2022, "Progressive distillation", §4).
 */
export const PREDICTIONS = ['eps', 'x0', 'v'] as const;
export type Prediction = (typeof PREDICTIONS)[number];
/** How add-noise weighs each example's loss. */
export const WEIGHTINGS = ['uniform', 'min-snr'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

/**
 * x̂0 and ε̂ from a prediction of either kind at a step with ᾱ = `ab`. Both follow from
 * x_t = √ᾱ·x0 + √(1−ᾱ)·ε, which they satisfy exactly.
 */
export function fromPrediction(prediction: Prediction, out: tf.Tensor, xt: tf.Tensor, ab: number): { x0: tf.Tensor; eps: tf.Tensor } {
  const a = Math.sqrt(ab);
  const b = Math.sqrt(1 - ab);
  if (prediction === 'eps') return { eps: out, x0: tf.div(tf.sub(xt, tf.mul(b, out)), a) };
  if (prediction === 'x0') return { x0: out, eps: tf.div(tf.sub(xt, tf.mul(a, out)), b) };
  // x0 = √ᾱ·x_t − √(1−ᾱ)·v and ε = √(1−ᾱ)·x_t + √ᾱ·v.
  return { x0: tf.sub(tf.mul(a, xt), tf.mul(b, out)), eps: tf.add(tf.mul(b, xt), tf.mul(a, out)) };
}

/** The training target of a prediction kind, for x0 and ε mixed at ᾱ (any shape broadcasting against them). */
export function predictionTarget(prediction: Prediction, x0: tf.Tensor, eps: tf.Tensor, ab: tf.Tensor): tf.Tensor {
  if (prediction === 'eps') return eps;
  if (prediction === 'x0') return x0;
  return tf.sub(tf.mul(tf.sqrt(ab), eps), tf.mul(tf.sqrt(tf.sub(1, ab)), x0));
}

export interface SampleOptions {
  /** Defaults to the schedule's sampler. */
  sampler?: 'ddpm' | 'ddim';
  /** Reverse steps (1 … T); defaults to the schedule's sampleSteps (DDPM: T). */
  steps?: number;
  /** DDIM noise; defaults to the schedule's eta. */
  eta?: number;
  /** DDPM variance: the posterior's β̃ or β; defaults to the schedule's. */
  variance?: 'posterior' | 'beta';
  /**
   * Clip each predicted x0 to [-1, 1] (true, for images scaled to that range) or to [-c, c]. Without
   * it, the first jumps from a schedule whose last ᾱ is tiny (cosine, small T) multiply any error in ε̂.
   */
  clipX0?: boolean | number;
  /** What the denoiser predicts; defaults to ε. */
  prediction?: Prediction;
  /** Seed for the noise added in stochastic steps. */
  seed?: number;
  /** Keep x after every k-th reverse step (and the last) as frames; 0 keeps none. */
  frameEvery?: number;
}

export interface SampleFrame {
  /** Reverse steps done so far (1 … steps). */
  done: number;
  /** The step index x now sits at (−1 once x is x0). */
  t: number;
  data: Float32Array;
}

export interface SampleResult {
  /** The final sample; the caller disposes it. */
  x0: tf.Tensor;
  frames: SampleFrame[];
}

/**
 * How many reverse steps a run walks: what the caller asks for, else every step for DDPM and the
 * schedule's step count (capped at T) for DDIM. The one place this rule is written.
 */
export function reverseSteps(sched: Pick<NoiseSchedule, 'T' | 'sampler' | 'sampleSteps'>, sampler = sched.sampler, steps?: number): number {
  return steps ?? (sampler === 'ddpm' ? sched.T : Math.min(sched.sampleSteps, sched.T));
}

/** `steps` step indices from T-1 down to 0, evenly spaced (with steps = T, every index). */
export function timestepSequence(T: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > T)
    throw new Error(`diffusion sampler: expects steps between 1 and T = ${T}, got ${steps}`);
  if (steps === 1) return [T - 1];
  const seq: number[] = [];
  for (let i = steps - 1; i >= 0; i--) seq.push(Math.round((i * (T - 1)) / (steps - 1)));
  return seq;
}

/**
 * Runs the reverse process from `xT` (not disposed) to x0. One tf.tidy per step, so memory stays
 * flat however many steps run.
 */
export function sampleReverse(denoise: Denoiser, sched: NoiseSchedule, xT: tf.Tensor, opts: SampleOptions = {}): SampleResult {
  const sampler = opts.sampler ?? sched.sampler;
  const steps = reverseSteps(sched, sampler, opts.steps);
  const eta = opts.eta ?? sched.eta;
  if (!(eta >= 0 && eta <= 1)) throw new Error(`diffusion sampler: expects eta between 0 and 1, got ${eta}`);
  const seq = timestepSequence(sched.T, steps);
  const n = xT.shape[0];
  const seed = opts.seed ?? 0;
  const frames: SampleFrame[] = [];

  let x = tf.clone(xT);
  seq.forEach((t, i) => {
    const tPrev = i + 1 < seq.length ? seq[i + 1] : -1;
    const ab = sched.alphaBars[t];
    const abPrev = tPrev >= 0 ? sched.alphaBars[tPrev] : 1;
    const next = tf.tidy(() => {
      const tIn = tf.fill([n, 1], t);
      const predicted = fromPrediction(opts.prediction ?? 'eps', denoise(x, tIn), x, ab);
      let { x0, eps } = predicted;
      if (opts.clipX0) {
        const c = opts.clipX0 === true ? 1 : opts.clipX0;
        x0 = tf.clipByValue(x0, -c, c);
        // Keep ε consistent with the clipped x0 so the step stays on the same x_t.
        eps = tf.div(tf.sub(x, tf.mul(Math.sqrt(ab), x0)), Math.sqrt(1 - ab));
      }
      const noise = () => tf.randomNormal(x.shape, 0, 1, 'float32', seed + i);
      if (sampler === 'ddim') {
        const sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
        const dir = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
        let out = tf.add(tf.mul(Math.sqrt(abPrev), x0), tf.mul(dir, eps));
        if (sigma > 0 && tPrev >= 0) out = tf.add(out, tf.mul(sigma, noise()));
        return out;
      }
      // DDPM posterior q(x_{t'} | x_t, x0) with the step's (respaced) β = 1 − ᾱ_t/ᾱ_{t'}.
      const beta = 1 - ab / abPrev;
      const coefX0 = (Math.sqrt(abPrev) * beta) / (1 - ab);
      const coefXt = (Math.sqrt(1 - beta) * (1 - abPrev)) / (1 - ab);
      let out = tf.add(tf.mul(coefX0, x0), tf.mul(coefXt, x));
      if (tPrev >= 0) {
        const variance = (opts.variance ?? sched.variance) === 'beta' ? beta : (beta * (1 - abPrev)) / (1 - ab);
        out = tf.add(out, tf.mul(Math.sqrt(variance), noise()));
      }
      return out;
    });
    x.dispose();
    x = next;
    const k = opts.frameEvery ?? 0;
    if (k > 0 && ((i + 1) % k === 0 || i === seq.length - 1)) frames.push({ done: i + 1, t: tPrev, data: new Float32Array(x.dataSync()) });
  });
  return { x0: x, frames };
}
