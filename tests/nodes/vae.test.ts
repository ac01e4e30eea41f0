import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNodeDef } from '../../nodes/registry';
import { klDivergence, klWeight, reparameterize } from '../../nodes/vae';
import { runContext } from '../diffusion/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MEAN = [[0.5, -1, 0], [2, 0.1, -0.3]];
const LOGVAR = [[0, 0.4, -1], [-2, 1, 0.2]];

/** KL(N(m, e^lv) ‖ N(0, 1)) per dimension, by hand. */
function klByHand(mean: number[][], logvar: number[][]): number {
  let total = 0;
  mean.forEach((row, b) => row.forEach((m, j) => {
    const lv = logvar[b][j];
    total += -0.5 * (1 + lv - m * m - Math.exp(lv));
  }));
  return total / mean.length;
}

describe('reparameterize', () => {
  it('is registered and samples from the prior when sampling', () => {
    expect(getNodeDef('reparameterize')?.sampleFromPrior).toBe(true);
  });

  it('infers z like mean, and rejects mismatched mean and logvar', () => {
    expect(reparameterize.inferShapes({ mean: [null, 16], logvar: [null, 16] }, {})).toEqual({ z: [null, 16] });
    expect(() => reparameterize.inferShapes({ mean: [null, 16], logvar: [null, 8] }, {})).toThrow(/same shape.*\[batch, 16\].*\[batch, 8\]/);
    expect(() => reparameterize.inferShapes({ mean: [null, 16] }, {})).toThrow(/logvar/);
  });

  it('z = mean + exp(logvar/2)·ε with ε ~ N(0, I)', () => {
    const n = 20000;
    const mean = tf.tile(tf.tensor2d([[1, -2]]), [n, 1]);
    const logvar = tf.tile(tf.tensor2d([[Math.log(4), Math.log(0.25)]]), [n, 1]);
    const before = tf.memory().numTensors;
    const { z } = reparameterize.run!(runContext(reparameterize, { mean, logvar })) as { z: tf.Tensor };
    expect(tf.memory().numTensors).toBe(before + 1);
    const { mean: m, variance: v } = tf.moments(z, 0);
    const [m0, m1] = Array.from(m.dataSync());
    const [s0, s1] = Array.from(v.dataSync()).map(Math.sqrt);
    expect(m0).toBeCloseTo(1, 1);
    expect(m1).toBeCloseTo(-2, 1);
    expect(s0).toBeCloseTo(2, 1);
    expect(s1).toBeCloseTo(0.5, 1);
    tf.dispose([mean, logvar, z, m, v]);
  });

  it('passes gradients to mean and logvar', () => {
    const mean = tf.tensor2d(MEAN);
    const logvar = tf.tensor2d(LOGVAR);
    const ctx = (m: tf.Tensor, lv: tf.Tensor) => runContext(reparameterize, { mean: m, logvar: lv }, { seed: 3 });
    const g = tf.grads((m: tf.Tensor, lv: tf.Tensor) => tf.sum((reparameterize.run!(ctx(m, lv)) as { z: tf.Tensor }).z));
    const [gm, glv] = g([mean, logvar]);
    expect(Array.from(gm.dataSync())).toEqual(new Array(6).fill(1));
    expect(Math.max(...Array.from(glv.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([mean, logvar, gm, glv]);
  });
});

describe('klDivergence', () => {
  it('equals the hand computation, in nats per example', () => {
    const mean = tf.tensor2d(MEAN);
    const logvar = tf.tensor2d(LOGVAR);
    const objs = klDivergence.objectives!({ beta: 1, warmupSteps: 0 });
    expect(objs.map((o) => [o.id, o.phase, o.trains])).toEqual([['kl', 'main', 'upstream']]);
    const before = tf.memory().numTensors;
    const loss = objs[0].loss(runContext(klDivergence, { mean, logvar }));
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo(klByHand(MEAN, LOGVAR), 5);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([mean, logvar]);
  });

  it('sums over every latent axis for image-shaped latents', () => {
    const m = tf.tensor4d([[[[1]], [[2]]]]); // [1, 2, 1, 1]
    const lv = tf.zeros([1, 2, 1, 1]);
    const loss = klDivergence.objectives!({ beta: 1, warmupSteps: 0 })[0].loss(runContext(klDivergence, { mean: m, logvar: lv }));
    expect(loss.dataSync()[0]).toBeCloseTo(0.5 * (1 + 4), 5);
    tf.dispose([m, lv, loss]);
  });

  it('is zero at the prior and grows away from it', () => {
    const zero = tf.zeros([4, 3]);
    const [obj] = klDivergence.objectives!({ beta: 1, warmupSteps: 0 });
    const at = obj.loss(runContext(klDivergence, { mean: zero, logvar: zero }));
    expect(at.dataSync()[0]).toBeCloseTo(0, 6);
    tf.dispose([zero, at]);
  });

  it('scales by β, and warm-up grows β linearly from 0 over warmupSteps', () => {
    const mean = tf.tensor2d(MEAN);
    const logvar = tf.tensor2d(LOGVAR);
    const full = klByHand(MEAN, LOGVAR);
    const [obj] = klDivergence.objectives!({ beta: 2, warmupSteps: 100 });
    const at = (step: number) => {
      const l = obj.loss(runContext(klDivergence, { mean, logvar }, { step }));
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    expect(at(0)).toBeCloseTo(0, 6);
    expect(at(25)).toBeCloseTo(0.5 * full, 4);
    expect(at(50)).toBeCloseTo(1 * full, 4);
    expect(at(100)).toBeCloseTo(2 * full, 4);
    expect(at(5000)).toBeCloseTo(2 * full, 4);
    expect(klWeight(3, 0, 0)).toBe(3);
    tf.dispose([mean, logvar]);
  });

  it('its gradient pulls mean toward 0 and logvar toward 0', () => {
    const mean = tf.tensor2d(MEAN);
    const logvar = tf.tensor2d(LOGVAR);
    const [obj] = klDivergence.objectives!({ beta: 1, warmupSteps: 0 });
    const [gm, glv] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => obj.loss(runContext(klDivergence, { mean: m, logvar: lv })))([mean, logvar]);
    // d/dm = m / B; d/dlv = (exp(lv) − 1) / 2B
    const B = MEAN.length;
    const gmv = gm.arraySync() as number[][];
    const glvv = glv.arraySync() as number[][];
    MEAN.forEach((row, b) => row.forEach((m, j) => {
      expect(gmv[b][j]).toBeCloseTo(m / B, 5);
      expect(glvv[b][j]).toBeCloseTo((Math.exp(LOGVAR[b][j]) - 1) / (2 * B), 5);
    }));
    tf.dispose([mean, logvar, gm, glv]);
  });
});
