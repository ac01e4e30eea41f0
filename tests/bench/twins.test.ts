// The hand-written twins of the classifier and the WGAN-GP: a step trains every weight the twin
// creates, keeps them finite, and leaves no tensor behind. The one exception is the critic's output
// bias: it cancels in E[D(fake)] − E[D(real)] and the penalty does not see it, so its gradient is 0.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDWRITTEN } from '../../bench/handwritten';

const variables = () => new Map(Object.entries(tf.engine().state.registeredVariables));

describe('hand-written twins', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const untrained: Record<string, number> = { 'classifier-mnist': 0, 'wgan-grid': 1 };
  for (const name of Object.keys(untrained)) {
    it(`${name}: one step updates every weight, stays finite and leaks nothing`, async () => {
      const before = variables();
      const twin = await HANDWRITTEN[name]({ batchSize: 8, seed: 1 });
      const own = [...variables()].filter(([k]) => !before.has(k)).map(([, v]) => v);
      const weights = own.filter((v) => v.trainable);
      expect(weights.length, 'trainable weights').toBeGreaterThan(0);
      const start = weights.map((w) => w.dataSync().slice());
      twin.step();
      const tensors = tf.memory().numTensors;
      twin.step();
      expect(tf.memory().numTensors, 'tensors after a second step').toBe(tensors);
      const unchanged = weights.filter((w, i) => {
        const now = w.dataSync();
        expect(now.every(Number.isFinite), `${w.name} finite`).toBe(true);
        return now.every((x, j) => x === start[i][j]);
      });
      expect(unchanged.length, `unchanged: ${unchanged.map((w) => w.name).join(', ')}`).toBe(untrained[name]);
      for (const w of unchanged) expect([w.name.endsWith('bias'), w.shape]).toEqual([true, [1]]);
      twin.dispose();
    }, 60_000);
  }
});
