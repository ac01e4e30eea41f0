// How each quality figure reads: its label, which way is better, how to print it. Kept free of tfjs
// and the datasets so the page can label the live curves without loading either.
import { CHAMFER_POINTS } from './chamfer';

export interface FigureInfo {
  label: string;
  /** A few words for a small chart's title. */
  short: string;
  better: 'higher' | 'lower';
  percent?: boolean;
  /** A count out of the target's modes (shown as k/K). */
  ofModes?: boolean;
}

/** A VAE's live likelihood figures are measured on this many test examples, the first in stored order. */
export const LIVE_HELD_OUT = 200;

export const QUALITY_FIGURES: Record<string, FigureInfo> = {
  modes: { label: 'modes with ≥ 1 high-quality sample', short: 'modes', better: 'higher', ofModes: true },
  modesOver1pct: { label: 'modes with ≥ 1% of samples', short: 'modes ≥ 1%', better: 'higher', ofModes: true },
  highQuality: { label: 'high-quality samples (within 3σ of a centre)', short: 'high quality', better: 'higher', percent: true },
  reverseKL: { label: 'reverse KL of the mode histogram to uniform (nats)', short: 'reverse KL', better: 'lower' },
  chamfer: { label: `Chamfer distance (${CHAMFER_POINTS} vs ${CHAMFER_POINTS} points)`, short: 'Chamfer', better: 'lower' },
  score: { label: 'classifier score (MNIST score)', short: 'score', better: 'higher' },
  frechet: { label: 'Fréchet distance on classifier logits', short: 'Fréchet', better: 'lower' },
  confident: { label: 'samples classified with p ≥ 0.9', short: 'confident', better: 'higher', percent: true },
  agreement: { label: 'samples the classifier puts in the class asked for', short: 'agreement', better: 'higher', percent: true },
  heldOutNegElbo: { label: `held-out −ELBO, nats per example (${LIVE_HELD_OUT} test examples spread over the split)`, short: '−ELBO', better: 'lower' },
  heldOutNegIwae100: { label: `importance-weighted bound on −log p(x), k = 100, nats per example (${LIVE_HELD_OUT} test examples spread over the split)`, short: 'IWAE bound', better: 'lower' },
};

/** A figure as people read it: a share as a percentage, a count whole, a distance to 4 digits. */
export function formatFigure(name: string, v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (QUALITY_FIGURES[name]?.percent) return `${(100 * v).toFixed(1)}%`;
  if (QUALITY_FIGURES[name]?.ofModes) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}
