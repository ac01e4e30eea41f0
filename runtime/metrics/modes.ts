// Mode coverage and sample quality on mixtures of Gaussians, as the VEEGAN and PacGAN tables
// report them (PacGAN's MetricLogger): each sample belongs to its nearest true centre, and counts
// as high quality if it lies within 3σ of it.

export interface ModeQuality {
  /** Number of true modes. */
  total: number;
  /** High-quality samples belonging to each mode. */
  counts: number[];
  /** Samples measured. */
  samples: number;
  /** Share of samples within radiusSigmas·σ of their nearest centre. */
  highQuality: number;
  /** Modes with at least one high-quality sample (PacGAN's "modes"). */
  modesHit: number;
  /** Modes whose high-quality samples are at least minFraction of all samples (1% by default). */
  modesCovered: number;
  /**
   * KL(p ‖ uniform) of the high-quality samples' histogram over the modes, in nats: 0 when every
   * mode holds as many, log K when one holds them all; NaN when no sample is of high quality.
   */
  reverseKL: number;
}

export interface ModeQualityOptions {
  radiusSigmas?: number;
  minFraction?: number;
}

/** `samples` is count × dim interleaved, dim = centres[0].length. */
export function modeQuality(samples: ArrayLike<number>, centres: number[][], sigma: number, opts: ModeQualityOptions = {}): ModeQuality {
  const { radiusSigmas = 3, minFraction = 0.01 } = opts;
  if (centres.length === 0) throw new Error('modeQuality needs at least one centre');
  if (!(sigma > 0)) throw new Error(`modeQuality: σ must be positive, got ${sigma}`);
  const dim = centres[0].length;
  if (samples.length % dim !== 0) throw new Error(`modeQuality: ${samples.length} values is not a whole number of ${dim}-D samples`);
  const n = samples.length / dim;
  const r2 = (radiusSigmas * sigma) ** 2;
  const counts = new Array<number>(centres.length).fill(0);
  let near = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < centres.length; k++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (samples[i * dim + j] - centres[k][j]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    if (bestD < r2) {
      counts[best]++;
      near++;
    }
  }
  let kl = near > 0 ? 0 : NaN;
  for (const c of counts) if (c > 0) kl += (c / near) * Math.log((c / near) * centres.length);
  return {
    total: centres.length,
    counts,
    samples: n,
    highQuality: n > 0 ? near / n : 0,
    modesHit: counts.filter((c) => c > 0).length,
    modesCovered: n > 0 ? counts.filter((c) => c / n >= minFraction).length : 0,
    reverseKL: kl,
  };
}

export interface ModeCoverage {
  /** Modes holding at least minFraction of the samples. */
  covered: number;
  total: number;
  /** The fraction of samples near each mode. */
  perMode: number[];
  /** The fraction of samples within the radius of any mode ("high-quality" samples). */
  highQuality: number;
}

/** The older summary (modes with ≥ minFraction of the samples, 2% by default), from modeQuality. */
export function modeCoverage(samples: ArrayLike<number>, centres: number[][], sigma: number, minFraction = 0.02, radiusSigmas = 3): ModeCoverage {
  const q = modeQuality(samples, centres, sigma, { minFraction, radiusSigmas });
  return {
    covered: q.modesCovered,
    total: q.total,
    perMode: q.counts.map((c) => (q.samples > 0 ? c / q.samples : 0)),
    highQuality: q.highQuality,
  };
}
