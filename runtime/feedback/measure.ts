// Figures of a feedback run: rank correlation, mean and spread, and a histogram estimate of the KL
// between two sets of 2-D points (a GAN has no likelihood to compute it from).
import type { PreferenceSample } from '../../nodes/feedback/preferences';
import type { SampleBatch } from '../../nodes/sampling';

/** A batch of samples as preference samples: strings, [x, y] points, or flat images. */
export function batchSamples(batch: SampleBatch): PreferenceSample[] {
  if (batch.kind === 'text') return [...batch.texts];
  const size = batch.kind === 'points' ? 2 : batch.height * batch.width * batch.channels;
  return Array.from({ length: batch.count }, (_, i) => Array.from(batch.data.subarray(i * size, (i + 1) * size)));
}

/** Ranks 1..n with ties given their average rank. */
function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const out = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    for (let k = i; k <= j; k++) out[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** Spearman's rank correlation (Pearson's on average ranks); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`spearman: ${a.length} values against ${b.length}`);
  return pearson(ranks(a), ranks(b));
}

export function meanStd(v: readonly number[]): { mean: number; std: number } {
  const mean = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
  return { mean, std };
}

/**
 * KL(p ‖ q) of two 2-D point sets on a shared grid of `bins`² cells over both sets' extent, each
 * cell smoothed by half a count so that an empty cell of q does not make it infinite.
 */
export function histogramKL(p: readonly PreferenceSample[], q: readonly PreferenceSample[], bins = 20): number {
  const all = [...p, ...q] as number[][];
  const lo = [Math.min(...all.map((s) => s[0])), Math.min(...all.map((s) => s[1]))];
  const hi = [Math.max(...all.map((s) => s[0])), Math.max(...all.map((s) => s[1]))];
  const cell = (s: number[]) =>
    [0, 1].map((d) => Math.min(bins - 1, Math.floor(((s[d] - lo[d]) / Math.max(1e-12, hi[d] - lo[d])) * bins))).reduce((a, c) => a * bins + c, 0);
  const hist = (set: readonly PreferenceSample[]) => {
    const h = new Float64Array(bins * bins).fill(0.5);
    for (const s of set) h[cell(s as number[])]++;
    const total = h.reduce((a, b) => a + b, 0);
    return h.map((c) => c / total);
  };
  const hp = hist(p);
  const hq = hist(q);
  let kl = 0;
  for (let i = 0; i < hp.length; i++) kl += hp[i] * Math.log(hp[i] / hq[i]);
  return kl;
}
