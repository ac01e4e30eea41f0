// The adversarial loss's R1 penalty, γ/2·E‖∇D(x_real)‖², against critics whose input gradient is
// known in closed form; its gradient reaches the critic's weights (a gradient of a gradient); it
// adds nothing when γ = 0.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarial } from '../../nodes/losses';
import { resolveParams } from '../../nodes/params';
import type { DataBatcher, GroupHandle, ObjectiveDef, RunContext } from '../../nodes/types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 6;
const DIM = 3;

function dObjective(params: Record<string, unknown>): ObjectiveDef {
  const { params: p, problems } = resolveParams(adversarial, params);
  expect(problems).toEqual([]);
  const d = adversarial.objectives!(p as never).find((o) => o.trains !== 'upstream' && o.trains.role === 'discriminator');
  return d!;
}

/** A loss node's context fed by a discriminator group with critic `critic` on fixed real and fake points. */
function contextWith(critic: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, withGroup = true): RunContext {
  const group: GroupHandle = { params: {}, input: (port) => (port === 'real' ? real : fake), apply: critic };
  let seed = 11;
  return {
    nodeId: 'loss',
    params: {},
    mode: 'train',
    batchSize: N,
    step: 0,
    input: (port) => critic(port === 'real' ? real : fake),
    value: () => { throw new Error('no values'); },
    has: () => true,
    seed: () => seed++,
    data: {} as DataBatcher,
    groupBehind: () => (withGroup ? group : null),
    reference: () => { throw new Error('no reference networks here'); },
    rerun: () => { throw new Error('no graph to rerun here'); },
    sample: () => { throw new Error('no sampler here'); },
  };
}

const points = (seed: number) => tf.randomNormal([N, DIM], 0, 1, 'float32', seed);

describe('adversarial loss: R1 penalty', () => {
  it('adds γ/2·‖w‖² for a linear critic D(x) = w·x + b, for every variant', () => {
    const w = tf.tensor2d([[0.5], [-1.5], [2]]);
    const b = tf.scalar(0.3);
    const linear = (x: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w), b);
    const real = points(1);
    const fake = points(2);
    const ctx = contextWith(linear, real, fake);
    const wNorm2 = 0.25 + 2.25 + 4;
    for (const variant of ['nonSaturating', 'hinge', 'leastSquares'] as const) {
      for (const gamma of [0.1, 1, 10]) {
        const plain = dObjective({ variant }).loss(ctx).dataSync()[0];
        const withR1 = dObjective({ variant, r1Weight: gamma }).loss(ctx).dataSync()[0];
        expect(withR1 - plain).toBeCloseTo((gamma / 2) * wNorm2, 4);
      }
    }
    tf.dispose([w, b, real, fake]);
  });

  it('uses the gradient at the real points only: D(x) = a·‖x‖² gives γ/2·4a²·E‖x_real‖²', () => {
    const a = 0.7;
    const quadratic = (x: tf.Tensor) => tf.mul(a, tf.sum(tf.square(x), 1, true));
    const real = points(3);
    const fake = tf.mul(points(4), 5);
    const ctx = contextWith(quadratic, real, fake);
    const gamma = 2;
    const meanSq = tf.mean(tf.sum(tf.square(real), 1)).dataSync()[0];
    const plain = dObjective({}).loss(ctx).dataSync()[0];
    const withR1 = dObjective({ r1Weight: gamma }).loss(ctx).dataSync()[0];
    expect(withR1 - plain).toBeCloseTo((gamma / 2) * 4 * a * a * meanSq, 3);
    tf.dispose([real, fake]);
  });

  it('trains the critic: the penalty adds γ·w to the gradient of a linear critic\'s weights', () => {
    const w = tf.variable(tf.tensor2d([[1], [-2], [0.5]]));
    const linear = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
    const real = points(5);
    const fake = points(6);
    const ctx = contextWith(linear, real, fake);
    const gamma = 3;
    const gradOf = (params: Record<string, unknown>) => {
      const { value, grads } = tf.variableGrads(() => dObjective(params).loss(ctx), [w]);
      value.dispose();
      return grads[w.name];
    };
    const g0 = gradOf({});
    const g1 = gradOf({ r1Weight: gamma });
    const diff = tf.sub(g1, g0);
    const expected = tf.mul(gamma, w);
    expect(tf.max(tf.abs(tf.sub(diff, expected))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([w, real, fake, g0, g1, diff, expected]);
  });

  it('is off at γ = 0 (the default) and needs no discriminator group then', () => {
    const linear = (x: tf.Tensor) => tf.sum(x, 1, true);
    const real = points(7);
    const fake = points(8);
    const noGroup = contextWith(linear, real, fake, false);
    const expected = tf.add(tf.mean(tf.softplus(tf.neg(linear(real)))), tf.mean(tf.softplus(linear(fake))));
    expect(dObjective({}).loss(noGroup).dataSync()[0]).toBeCloseTo(expected.dataSync()[0], 5);
    expect(dObjective({ r1Weight: 0 }).loss(noGroup).dataSync()[0]).toBeCloseTo(expected.dataSync()[0], 5);
    expect(() => dObjective({ r1Weight: 1 }).loss(noGroup)).toThrow(/discriminator group for the R1 penalty/);
    tf.dispose([real, fake, expected]);
  });

  it('leaks no tensors inside tf.tidy', () => {
    const w = tf.tensor2d([[1], [2], [3]]);
    const real = points(9);
    const fake = points(10);
    const ctx = contextWith((x) => tf.matMul(x as tf.Tensor2D, w), real, fake);
    const before = tf.memory().numTensors;
    tf.tidy(() => dObjective({ r1Weight: 1 }).loss(ctx)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, real, fake]);
  });
});
