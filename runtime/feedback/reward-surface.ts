// A reward model's view of the plane, for 2-D points: its score on a grid of points, drawn under the
// samples as the discriminator's decision surface is, so one can see where the feedback pulls them.
import type { Trainer } from '../train/trainer';
import { surfaceGrid } from '../worker/decision-surface';
import type { DecisionSurface } from '../worker/protocol';

/**
 * The reward that preferences node `nodeId`'s scorer (its reward model) gives each cell of an n×n grid
 * over [lo, hi]², with `points` carried along to draw on top (no arrows: the gradients are zero).
 */
export function rewardSurface(trainer: Trainer, nodeId: string, frame: { lo: number; hi: number }, n: number, points: Float32Array): DecisionSurface {
  const pool = trainer.preferencePools.get(nodeId);
  if (!pool) throw new Error(`no preferences node "${nodeId}" in the loaded graph`);
  if (pool.set.kind !== 'points') throw new Error(`a reward surface needs preferences of 2-D points; node "${nodeId}" compares ${pool.set.kind}`);
  const grid = surfaceGrid(frame, n);
  const cells = Array.from({ length: n * n }, (_, i) => [grid[2 * i], grid[2 * i + 1]]);
  const scored = trainer.preferenceScores(nodeId, cells);
  if (!scored) throw new Error(`nothing downstream of preferences node "${nodeId}" scores samples: wire it to a reward model and a Bradley–Terry loss`);
  const count = Math.floor(points.length / 2);
  return {
    n,
    lo: frame.lo,
    hi: frame.hi,
    scores: Float32Array.from(scored.score),
    points: Float32Array.from(points.subarray(0, 2 * count)),
    gradients: new Float32Array(2 * count),
  };
}
