// The reward model's score over the plane: laid out on the decision surface's grid (row 0 the top),
// rising to the right once fitted to pairs that prefer larger x, and refused for samples that are no points.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { rewardSurface } from '../../runtime/feedback/reward-surface';
import { dpoGptDoc, rewardGanDoc } from './graphs';
import { loadTrainer } from '../learning/helpers-learning';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('reward surface', () => {
  it('scores each grid cell as the reward model scores that point, higher on the right after pairs preferring x', async () => {
    const trainer = await loadTrainer(rewardGanDoc());
    const pool = trainer.preferencePools.get('prefs')!;
    const xs = Array.from({ length: 40 }, (_, i) => -2 + (4 * i) / 39);
    pool.set = { ...pool.set, pairs: xs.slice(1).map((x, i) => ({ chosen: [x, (i % 5) - 2], rejected: [xs[i], 2 - (i % 5)], rater: 'x-coordinate' })) };
    trainer.setStage('reward');
    await trainer.train(trainer.status.step + 60);
    const n = 8;
    const before = tf.memory().numTensors;
    const s = rewardSurface(trainer, 'prefs', { lo: -2, hi: 2 }, n, new Float32Array([0.5, 0.5, 1, -1]));
    expect(tf.memory().numTensors).toBe(before);
    expect(s.scores.length).toBe(n * n);
    expect(Array.from(s.points)).toEqual([0.5, 0.5, 1, -1]);
    // Cell (row 0, column 7) is the top-right corner: the point (1.75, 1.75).
    const direct = trainer.preferenceScores('prefs', [[1.75, 1.75]])!.score[0];
    expect(s.scores[7]).toBeCloseTo(direct, 4);
    const mean = (col: number) => Array.from({ length: n }, (_, row) => s.scores[row * n + col]).reduce((a, b) => a + b, 0) / n;
    expect(mean(n - 1)).toBeGreaterThan(mean(0));
    trainer.dispose();
  }, 120_000);

  it('refuses a preferences node of names, and one that does not exist', async () => {
    const trainer = await loadTrainer(dpoGptDoc());
    expect(() => rewardSurface(trainer, 'prefs', { lo: -1, hi: 1 }, 4, new Float32Array())).toThrow(/2-D points; node "prefs" compares text/);
    expect(() => rewardSurface(trainer, 'nope', { lo: -1, hi: 1 }, 4, new Float32Array())).toThrow(/no preferences node "nope"/);
    trainer.dispose();
  }, 60_000);
});
