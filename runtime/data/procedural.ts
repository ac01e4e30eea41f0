// The procedural 2-D sets of nodes/datasets.ts, generated on the fly from a seed (no assets), and
// the mode-coverage metric that tells whether a GAN found every mode or collapsed onto a few.
import { Rng } from '../../nodes/rng';

export const RING_RADIUS = 2;
export const RING_SIGMA = 0.02 * RING_RADIUS;
export const GRID_SIGMA = 0.05;

/** The 8 ring centres, counter-clockwise from (radius, 0). */
export const RING_CENTRES: number[][] = Array.from({ length: 8 }, (_, k) => {
  const a = (2 * Math.PI * k) / 8;
  return [RING_RADIUS * Math.cos(a), RING_RADIUS * Math.sin(a)];
});

/** The 25 grid centres on {-2, -1, 0, 1, 2}², row by row. */
export const GRID_CENTRES: number[][] = Array.from({ length: 25 }, (_, k) => [(k % 5) - 2, Math.floor(k / 5) - 2]);

export type ProceduralName = 'ring' | 'grid' | 'spiral' | 'moons';
export const PROCEDURAL_NAMES: readonly ProceduralName[] = ['ring', 'grid', 'spiral', 'moons'];

export function isProcedural(name: string): name is ProceduralName {
  return (PROCEDURAL_NAMES as readonly string[]).includes(name);
}

/** The mode centres and σ of the sets made of Gaussians, for modeCoverage. */
export const MODES: Partial<Record<ProceduralName, { centres: number[][]; sigma: number }>> = {
  ring: { centres: RING_CENTRES, sigma: RING_SIGMA },
  grid: { centres: GRID_CENTRES, sigma: GRID_SIGMA },
};

export interface PointSet {
  /** count × 2, interleaved (x0, y0, x1, y1, …). */
  x: Float32Array;
  /** The mode (ring, grid) or moon (moons) of each point; absent for the spiral. */
  labels?: Uint8Array;
  count: number;
}

const SPIRAL_TURNS = 2;
const SPIRAL_NOISE = 0.04;
const MOONS_NOISE = 0.05;
/** Centres the sklearn-style moons (x in [-1, 2], y in [-0.5, 1]) and scales them to about [-2, 2]. */
const MOONS_SHIFT = [0.5, 0.25];
const MOONS_SCALE = 1.2;

function gaussians(rng: Rng, count: number, centres: number[][], sigma: number): PointSet {
  const x = new Float32Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = rng.int(centres.length);
    labels[i] = k;
    x[2 * i] = centres[k][0] + sigma * rng.normal();
    x[2 * i + 1] = centres[k][1] + sigma * rng.normal();
  }
  return { x, labels, count };
}

function spiral(rng: Rng, count: number): PointSet {
  const x = new Float32Array(count * 2);
  const maxT = SPIRAL_TURNS * 2 * Math.PI;
  for (let i = 0; i < count; i++) {
    // sqrt spreads points evenly along the arc, which grows with the radius.
    const t = maxT * Math.sqrt(rng.next());
    const r = (2 * t) / maxT;
    x[2 * i] = r * Math.cos(t) + SPIRAL_NOISE * rng.normal();
    x[2 * i + 1] = r * Math.sin(t) + SPIRAL_NOISE * rng.normal();
  }
  return { x, count };
}

function moons(rng: Rng, count: number): PointSet {
  const x = new Float32Array(count * 2);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const moon = rng.int(2);
    const t = Math.PI * rng.next();
    const px = moon === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = moon === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    labels[i] = moon;
    x[2 * i] = MOONS_SCALE * (px - MOONS_SHIFT[0] + MOONS_NOISE * rng.normal());
    x[2 * i + 1] = MOONS_SCALE * (py - MOONS_SHIFT[1] + MOONS_NOISE * rng.normal());
  }
  return { x, labels, count };
}

/** `count` points of a procedural set; the same seed gives the same points. */
export function generatePoints(name: ProceduralName, count: number, seed: number): PointSet {
  const rng = new Rng(seed);
  switch (name) {
    case 'ring':
      return gaussians(rng, count, RING_CENTRES, RING_SIGMA);
    case 'grid':
      return gaussians(rng, count, GRID_CENTRES, GRID_SIGMA);
    case 'spiral':
      return spiral(rng, count);
    case 'moons':
      return moons(rng, count);
    default:
      throw new Error(`unknown procedural dataset "${String(name)}": expected one of ${PROCEDURAL_NAMES.join(', ')}`);
  }
}

export const PROCEDURAL_TRAIN = 10_000;
export const PROCEDURAL_TEST = 2_000;
/** Train and test use different seeds, so they are independent draws of the same distribution. */
export const PROCEDURAL_SEEDS = { train: 1, test: 2 } as const;

export interface ModeCoverage {
  /** Modes holding at least minFraction of the samples. */
  covered: number;
  total: number;
  /** The fraction of samples near each mode. */
  perMode: number[];
  /** The fraction of samples within the radius of any mode ("high-quality" samples). */
  highQuality: number;
}

/**
 * How many modes a set of samples covers (the metric of the unrolled-GAN and VEEGAN papers).
 * `samples` is count × dim interleaved, dim = centres[0].length. A sample belongs to its nearest
 * centre if it lies within radiusSigmas·σ of it.
 */
export function modeCoverage(
  samples: Float32Array,
  centres: number[][],
  sigma: number,
  minFraction = 0.02,
  radiusSigmas = 3,
): ModeCoverage {
  if (centres.length === 0) throw new Error('modeCoverage needs at least one centre');
  const dim = centres[0].length;
  if (samples.length % dim !== 0) {
    throw new Error(`modeCoverage: ${samples.length} values is not a whole number of ${dim}-D samples`);
  }
  const n = samples.length / dim;
  const r2 = (radiusSigmas * sigma) ** 2;
  const hits = new Array<number>(centres.length).fill(0);
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
    if (bestD <= r2) {
      hits[best]++;
      near++;
    }
  }
  const perMode = hits.map((h) => (n > 0 ? h / n : 0));
  return {
    covered: perMode.filter((f) => n > 0 && f >= minFraction).length,
    total: centres.length,
    perMode,
    highQuality: n > 0 ? near / n : 0,
  };
}
