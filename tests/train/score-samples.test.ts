// Scoring new samples with a graph's preference loss: nothing before it has trained, no tensor left
// behind after, and samples of the wrong shape refused with the node named.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPreferences } from '../../nodes/feedback/preferences';
import { nodeAssets } from '../../runtime/data/assets-node';
import { replacePairs } from '../../runtime/train/live-pairs';
import { scoreSamples } from '../../runtime/train/score-samples';
import { Trainer } from '../../runtime/train/trainer';
import { example } from '../cli/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scoring samples with the reward model', () => {
  const trainer = new Trainer({ reader: nodeAssets });
  const points = { kind: 'points' as const, count: 3, data: new Float32Array([-1, 0, 0, 0, 1, 0]), real: new Float32Array() };
  afterAll(() => trainer.dispose());

  beforeAll(async () => {
    const g = example('feedback-ring');
    for (const node of g.nodes) {
      if (node.type === 'dense' && Number(node.params.units) > 2) node.params.units = 8;
      if (node.type === 'preferences') node.params = { ...node.params, rater: 'you', pairsName: 'p' };
    }
    g.training = { ...g.training, batchSize: 8, evalEvery: 0, sampleEvery: 0 };
    trainer.userData.set('p', emptyPreferences('points'));
    expect((await trainer.load(g)).ok).toBe(true);
  });

  it('has nothing to score with before any pair is loaded or any step taken', () => {
    expect(scoreSamples(trainer, points)).toBeNull();
  });

  it('scores each sample once the reward model has stepped on pairs, leaving no tensor behind', async () => {
    const pairs = Array.from({ length: 12 }, (_, i) => ({ chosen: [1, i / 12], rejected: [-1, i / 12], rater: 'you' }));
    expect(replacePairs(trainer, 'p', { ...emptyPreferences('points'), pairs })).toBe(1);
    trainer.setStage('reward');
    await trainer.step(3);
    const before = tf.memory().numTensors;
    const scores = scoreSamples(trainer, points);
    expect(tf.memory().numTensors).toBe(before);
    expect(scores).toHaveLength(3);
    for (const s of scores!) expect(Number.isFinite(s)).toBe(true);
  });

  it('refuses samples of another shape than the pairs, naming the preferences node', () => {
    const images = { kind: 'images' as const, count: 1, height: 2, width: 2, channels: 1, data: new Float32Array(4) };
    expect(() => scoreSamples(trainer, images)).toThrow(/preferences "prefs": samples of shape 2×2×1 cannot be scored, the pairs are 2/);
  });
});
