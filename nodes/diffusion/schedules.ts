// Noise schedules for diffusion: pure functions from a name and a step count to β, α and ᾱ.
// Index i = 0 … T-1 here is step i+1 in the papers (x_{i+1} is made from x_i with β_i).
import { NodeError, type NoiseSchedule } from '../types';

export const SCHEDULE_KINDS = ['linear', 'cosine'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const SAMPLERS = ['ddpm', 'ddim'] as const;
export const VARIANCES = ['posterior', 'beta'] as const;

/** β never reaches 1, or ᾱ would hit 0 and x0 could not be recovered from x_t. */
const MAX_BETA = 0.999;

/**
 * Ho, Jain & Abbeel 2020, "Denoising Diffusion Probabilistic Models": β rises linearly from 1e-4
 * to 0.02 over T = 1000. For other T both ends scale by 1000/T, as Nichol & Dhariwal 2021 do, so
 * the total noise added stays about the same (and β is clipped at 0.999 for very small T).
 */
export function linearBetas(T: number): Float64Array {
  const scale = 1000 / T;
  const lo = scale * 1e-4;
  const hi = scale * 0.02;
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = Math.min(MAX_BETA, T === 1 ? lo : lo + ((hi - lo) * i) / (T - 1));
  return betas;
}

/**
 * Nichol & Dhariwal 2021, "Improved Denoising Diffusion Probabilistic Models", eq. 17:
 * ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2), s = 0.008, and β_t = 1 − ᾱ_t/ᾱ_{t−1}
 * clipped at 0.999 to avoid the singularity at t = T.
 */
export function cosineBetas(T: number, s = 0.008): Float64Array {
  const f = (t: number) => Math.cos((((t / T) + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = Math.min(MAX_BETA, 1 - f(i + 1) / f(i));
  return betas;
}

const BETAS: Record<ScheduleKind, (T: number) => Float64Array> = { linear: linearBetas, cosine: cosineBetas };

export interface ScheduleOptions {
  sampler?: 'ddpm' | 'ddim';
  /** Reverse steps when sampling (DDIM may skip steps); at most T. Defaults to T. */
  sampleSteps?: number;
  /** DDIM stochasticity: 0 is deterministic, 1 matches DDPM's variance. */
  eta?: number;
  /** DDPM's reverse variance; defaults to the posterior's β̃. */
  variance?: 'posterior' | 'beta';
  /** Classifier-free guidance scale; defaults to 1 (conditional, unguided). */
  guidance?: number;
}

export function makeSchedule(kind: string, T: number, opts: ScheduleOptions = {}): NoiseSchedule {
  const betasOf = BETAS[kind as ScheduleKind];
  if (!betasOf) throw new NodeError(`has no noise schedule "${kind}" (valid: ${SCHEDULE_KINDS.join(', ')})`, 'kind');
  if (!Number.isInteger(T) || T < 1) throw new NodeError(`expects T to be a whole number ≥ 1, got ${T}`, 'T');
  const sampleSteps = opts.sampleSteps ?? T;
  if (!Number.isInteger(sampleSteps) || sampleSteps < 1 || sampleSteps > T)
    throw new NodeError(`expects sampleSteps between 1 and T = ${T}, got ${sampleSteps}`, 'sampleSteps');
  const eta = opts.eta ?? 0;
  if (!(eta >= 0 && eta <= 1)) throw new NodeError(`expects eta between 0 and 1, got ${eta}`, 'eta');

  const b = betasOf(T);
  const betas = new Float32Array(T);
  const alphas = new Float32Array(T);
  const alphaBars = new Float32Array(T);
  // The running product in float64: over 1000 steps float32 would drift.
  let bar = 1;
  for (let i = 0; i < T; i++) {
    bar *= 1 - b[i];
    betas[i] = b[i];
    alphas[i] = 1 - b[i];
    alphaBars[i] = bar;
  }
  const guidance = opts.guidance ?? 1;
  if (!Number.isFinite(guidance)) throw new NodeError(`expects a finite guidance scale, got ${guidance}`, 'guidance');
  return { kind, T, betas, alphas, alphaBars, sampler: opts.sampler ?? 'ddpm', sampleSteps, eta, variance: opts.variance ?? 'posterior', guidance };
}
