// The procedural 2-D sets of nodes/datasets.ts, generated on the fly from a seed (no assets), at
// the settings the published benchmarks use unless a dataset node asks for others. Their quality
// metrics live in runtime/metrics.
import { Rng } from '../../nodes/rng';

/** The sizes a dataset node can set on the mixtures of Gaussians. */
export interface PointSettings {
  ringRadius: number;
  ringSigma: number;
  gridSpacing: number;
  gridSigma: number;
}

/**
 * PacGAN's (and VEEGAN's) settings: 8 Gaussians on a circle of radius 1 with σ 0.01, and 25 on
 * the grid {−4, −2, 0, 2, 4}² with σ 0.05.
 */
export const PUBLISHED_POINTS: Readonly<PointSettings> = { ringRadius: 1, ringSigma: 0.01, gridSpacing: 2, gridSigma: 0.05 };

/** The 8 ring centres at angles 2πk/8, counter-clockwise from (radius, 0). */
export function ringCentres(radius: number): number[][] {
  return Array.from({ length: 8 }, (_, k) => {
    const a = (2 * Math.PI * k) / 8;
    return [radius * Math.cos(a), radius * Math.sin(a)];
  });
}

/** The 25 grid centres on {−2, −1, 0, 1, 2}²·spacing, row by row. */
export function gridCentres(spacing: number): number[][] {
  return Array.from({ length: 25 }, (_, k) => [((k % 5) - 2) * spacing, (Math.floor(k / 5) - 2) * spacing]);
}

export const RING_CENTRES = ringCentres(PUBLISHED_POINTS.ringRadius);
export const RING_SIGMA = PUBLISHED_POINTS.ringSigma;
export const GRID_CENTRES = gridCentres(PUBLISHED_POINTS.gridSpacing);
export const GRID_SIGMA = PUBLISHED_POINTS.gridSigma;

export type ProceduralName = 'ring' | 'grid' | 'spiral' | 'moons' | 'swissroll';
export const PROCEDURAL_NAMES: readonly ProceduralName[] = ['ring', 'grid', 'spiral', 'moons', 'swissroll'];

export function isProcedural(name: string): name is ProceduralName {
  return (PROCEDURAL_NAMES as readonly string[]).includes(name);
}

/** A dataset node's point settings (its checked params, defaults filled), published ones where absent. */
export function pointSettingsOf(params: Record<string, unknown>): PointSettings {
  const pick = (k: keyof PointSettings) => (typeof params[k] === 'number' ? (params[k] as number) : PUBLISHED_POINTS[k]);
  return { ringRadius: pick('ringRadius'), ringSigma: pick('ringSigma'), gridSpacing: pick('gridSpacing'), gridSigma: pick('gridSigma') };
}

/** The true centres and σ of a set made of Gaussians (ring, grid) at the given settings. */
export function modesOf(name: string, settings: PointSettings = PUBLISHED_POINTS): { centres: number[][]; sigma: number } | undefined {
  if (name === 'ring') return { centres: ringCentres(settings.ringRadius), sigma: settings.ringSigma };
  if (name === 'grid') return { centres: gridCentres(settings.gridSpacing), sigma: settings.gridSigma };
  return undefined;
}

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

/**
 * scikit-learn's make_swiss_roll(noise=0, hole=True) seen through its columns 0 and 2: the roll's
 * angle t is uniform on 8 of the 3×3 cells of [1.5π, 4.5π] × [0, 21] (the middle one is the hole),
 * so the middle turn holds 2/8 of the points and the outer ones 3/8 each; x = t cos t, z = t sin t.
 */
function swissRollAngle(rng: Rng): number {
  const corner = rng.int(8);
  const cell = corner < 4 ? corner : corner + 1;
  return Math.PI * (1.5 + Math.floor(cell / 3)) + Math.PI * rng.next();
}

/**
 * The exact mean and standard deviation over both columns together (one scalar each, as the KAIST
 * assignment's `normalize` takes numpy's mean and std of the whole array), from the angle's
 * piecewise-uniform density: E[t cos t], E[t sin t] and E[t²] integrate in closed form.
 */
export function swissRollMoments(): { mean: number; std: number } {
  const weights = [3 / 8, 2 / 8, 3 / 8];
  let ex = 0;
  let ez = 0;
  let et2 = 0;
  weights.forEach((w, i) => {
    const a = Math.PI * (1.5 + i);
    const b = a + Math.PI;
    const density = w / Math.PI;
    ex += density * (b * Math.sin(b) + Math.cos(b) - (a * Math.sin(a) + Math.cos(a)));
    ez += density * (-b * Math.cos(b) + Math.sin(b) - (-a * Math.cos(a) + Math.sin(a)));
    et2 += density * (b ** 3 - a ** 3) / 3;
  });
  const mean = (ex + ez) / 2;
  // Each point adds x² + z² = t² over two entries.
  return { mean, std: Math.sqrt(et2 / 2 - mean * mean) };
}

export const SWISS_ROLL_SCALE = 2;
const SWISS_ROLL = swissRollMoments();

function swissRoll(rng: Rng, count: number): PointSet {
  const x = new Float32Array(count * 2);
  const k = SWISS_ROLL_SCALE / SWISS_ROLL.std;
  for (let i = 0; i < count; i++) {
    const t = swissRollAngle(rng);
    x[2 * i] = (t * Math.cos(t) - SWISS_ROLL.mean) * k;
    x[2 * i + 1] = (t * Math.sin(t) - SWISS_ROLL.mean) * k;
  }
  return { x, count };
}

/** `count` points of a procedural set; the same seed and settings give the same points. */
export function generatePoints(name: ProceduralName, count: number, seed: number, settings: PointSettings = PUBLISHED_POINTS): PointSet {
  const rng = new Rng(seed);
  switch (name) {
    case 'ring':
      return gaussians(rng, count, ringCentres(settings.ringRadius), settings.ringSigma);
    case 'grid':
      return gaussians(rng, count, gridCentres(settings.gridSpacing), settings.gridSigma);
    case 'swissroll':
      return swissRoll(rng, count);
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

export { modeCoverage, type ModeCoverage } from '../metrics/modes';
