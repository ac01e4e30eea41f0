// Image quality from a fixed classifier's logits, as TF-GAN defines it
// (tensorflow_gan/python/eval/classifier_metrics.py): the classifier score ("MNIST score",
// exp E_x KL(p(y|x) ‖ p(y))) and the Fréchet distance between Gaussians fitted to the logits.
import type { LogitStats } from './classifier';
import { traceSqrtProduct } from './linalg';

function checkRows(logits: ArrayLike<number>, d: number, what: string): number {
  if (d < 1 || logits.length % d !== 0 || logits.length === 0)
    throw new Error(`${what}: ${logits.length} values is not a whole, non-zero number of ${d}-logit rows`);
  return logits.length / d;
}

/** Softmax of each row of `logits` (count × classes), row-major. */
export function softmaxRows(logits: ArrayLike<number>, classes: number): Float64Array {
  const n = checkRows(logits, classes, 'softmaxRows');
  const p = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[i * classes + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += p[i * classes + k] = Math.exp(logits[i * classes + k] - max);
    for (let k = 0; k < classes; k++) p[i * classes + k] /= sum;
  }
  return p;
}

/**
 * exp(E_x KL(p(y|x) ‖ p(y))), p(y) the mean of p(y|x) over the set: 1 for a set the classifier
 * cannot tell apart (or that is all one class), up to `classes` for confident, balanced ones.
 */
export function classifierScore(logits: ArrayLike<number>, classes: number): number {
  const p = softmaxRows(logits, classes);
  const n = p.length / classes;
  const marginal = new Float64Array(classes);
  for (let i = 0; i < n; i++) for (let k = 0; k < classes; k++) marginal[k] += p[i * classes + k] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const pk = p[i * classes + k];
      // log p from the logits would be steadier for tiny p, but p·log p → 0 there anyway.
      if (pk > 0) kl += pk * (Math.log(pk) - Math.log(marginal[k]));
    }
  }
  return Math.exp(kl / n);
}

/** Mean and covariance (divided by n − 1) of count × d rows. */
export function logitStats(logits: ArrayLike<number>, d: number): LogitStats {
  const n = checkRows(logits, d, 'logitStats');
  if (n < 2) throw new Error('logitStats: a covariance needs at least 2 rows');
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += logits[i * d + k] / n;
  const cov = new Array<number>(d * d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = logits[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += da * (logits[i * d + b] - mean[b]);
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
  return { count: n, mean, cov };
}

/** ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½): 0 for identical statistics. */
export function frechetDistance(a: LogitStats, b: LogitStats): number {
  const d = a.mean.length;
  if (b.mean.length !== d || a.cov.length !== d * d || b.cov.length !== d * d)
    throw new Error(`frechetDistance: statistics of ${d} and ${b.mean.length} dimensions do not match`);
  let dist = 0;
  for (let k = 0; k < d; k++) dist += (a.mean[k] - b.mean[k]) ** 2 + a.cov[k * d + k] + b.cov[k * d + k];
  // Rounding can leave a hair below zero for identical inputs.
  return Math.max(0, dist - 2 * traceSqrtProduct(a.cov, b.cov, d));
}

/** The share of images whose top class has probability ≥ `threshold`. */
export function confidentFraction(logits: ArrayLike<number>, classes: number, threshold = 0.9): number {
  const p = softmaxRows(logits, classes);
  const n = p.length / classes;
  let sure = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 0; k < classes; k++) best = Math.max(best, p[i * classes + k]);
    if (best >= threshold) sure++;
  }
  return sure / n;
}

/** Each row's most likely class. */
export function topClasses(logits: ArrayLike<number>, classes: number): Int32Array {
  const n = checkRows(logits, classes, 'topClasses');
  const top = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + top[i]]) top[i] = k;
  }
  return top;
}

/** The share of rows whose most likely class is each class: a set that drops modes shows gaps. */
export function classShares(logits: ArrayLike<number>, classes: number): number[] {
  const top = topClasses(logits, classes);
  const counts = new Array<number>(classes).fill(0);
  for (const k of top) counts[k]++;
  return counts.map((c) => c / top.length);
}

/** The share of rows the classifier puts in the class asked for (a conditional generator's accuracy). */
export function classAgreement(logits: ArrayLike<number>, classes: number, asked: ArrayLike<number>): number {
  const top = topClasses(logits, classes);
  if (asked.length !== top.length) throw new Error(`classAgreement: ${asked.length} asked-for classes for ${top.length} samples`);
  let same = 0;
  for (let i = 0; i < top.length; i++) if (top[i] === asked[i]) same++;
  return same / top.length;
}
