// The discriminator's view of the plane, as GAN Lab draws it: its score on a grid of points, and its
// gradient at the generated points. Every generator loss we offer (non-saturating, hinge, least
// squares, Wasserstein) falls as D's score on a fake rises, so ∇ₓD is the direction in which the
// generator's gradient pushes each sample.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import { refKey } from '../compiler/partition';
import type { CompiledGraph } from '../compiler/compile';
import { Evaluator } from '../train/evaluator';
import type { DecisionSurface } from './protocol';

/** Scoring a point forces the generated input; a data read here would be a bug. */
const noData: DataBatcher = {
  batch: (nodeId) => {
    throw new Error(`node "${nodeId}" asked for training data while scoring points for the decision surface`);
  },
};

/** Centre of grid cell i of n over [lo, hi]. */
export const cellCentre = (i: number, n: number, lo: number, hi: number) => lo + ((i + 0.5) * (hi - lo)) / n;

/**
 * The centres of an n×n grid over [lo, hi]² as [x0, y0, x1, y1, …], row 0 the top (largest y),
 * column 0 the left: the cells a surface's scores are laid out in.
 */
export function surfaceGrid(frame: { lo: number; hi: number }, n: number): Float32Array {
  if (!(n >= 2 && n <= 200 && Number.isInteger(n))) throw new Error(`a surface grid must be 2 to 200 cells wide, got ${n}`);
  if (!(frame.hi > frame.lo)) throw new Error(`a surface needs a frame with hi > lo, got [${frame.lo}, ${frame.hi}]`);
  const grid = new Float32Array(n * n * 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      grid[2 * (row * n + col)] = cellCentre(col, n, frame.lo, frame.hi);
      grid[2 * (row * n + col) + 1] = cellCentre(n - 1 - row, n, frame.lo, frame.hi);
    }
  }
  return grid;
}

/**
 * D's score on an n×n grid over [lo, hi]² (row 0 the top, largest y; column 0 the left) and ∇ₓD at
 * `points` ([x0, y0, x1, y1, …]). `step` seeds nothing random here but keeps the evaluator honest.
 */
export function decisionSurface(graph: CompiledGraph, step: number, frame: { lo: number; hi: number }, n: number, points: Float32Array): DecisionSurface {
  const plan = graph.sampling;
  if (!plan?.features.includes('critic') || !plan.refs.score)
    throw new Error('a decision surface needs a GAN on 2-D points whose discriminator judges one point at a time');
  const { target, score } = plan.refs;
  const scoreOf = (x: tf.Tensor2D): tf.Tensor1D => {
    const ev = new Evaluator(graph, { mode: 'sample', batchSize: x.shape[0], step, data: noData, salt: 17, seed: 1, overrides: new Map([[refKey(target), x]]) });
    const s = ev.tensor(score);
    if (s.shape[0] !== x.shape[0] || s.size !== x.shape[0]) throw new Error(`the discriminator gave ${s.size} scores for ${x.shape[0]} points: it must score each point with one number`);
    return tf.reshape(s, [x.shape[0]]);
  };
  const grid = surfaceGrid(frame, n);
  const scores = tf.tidy(() => scoreOf(tf.tensor2d(grid, [n * n, 2])));
  const count = Math.floor(points.length / 2);
  const gradients = count === 0
    ? tf.zeros([0, 2])
    : tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(scoreOf(x as tf.Tensor2D)))(tf.tensor2d(points.subarray(0, 2 * count), [count, 2])));
  try {
    return {
      n,
      lo: frame.lo,
      hi: frame.hi,
      scores: Float32Array.from(scores.dataSync()),
      points: Float32Array.from(points.subarray(0, 2 * count)),
      gradients: Float32Array.from(gradients.dataSync()),
    };
  } finally {
    scores.dispose();
    gradients.dispose();
  }
}
