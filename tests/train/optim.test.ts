// The optimiser settings against their closed forms: schedules, clipping by global norm, AdamW.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, type TrainingConfig } from '../../runtime/graph/document';
import type { LrSchedule } from '../../runtime/graph/training-settings';
import { applyUpdate } from '../../runtime/train/optim/apply';
import { clipByGlobalNorm } from '../../runtime/train/optim/clip';
import { learningRateFactor } from '../../runtime/train/optim/schedule';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { ganDoc } from '../compiler/docs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sched = (lrSchedule: LrSchedule, warmupSteps: number, steps: number) => ({ lrSchedule, warmupSteps, steps });

describe('learning-rate schedules', () => {
  it('warm-up ramps linearly to the full rate, then constant stays there', () => {
    const s = sched('constant', 4, 100);
    expect([0, 1, 2, 3, 4, 50, 99].map((t) => learningRateFactor(t, s))).toEqual([0.25, 0.5, 0.75, 1, 1, 1, 1]);
  });

  it('linear decay falls from 1 after warm-up to 0 at the last step', () => {
    const s = sched('linear', 10, 110);
    for (const t of [10, 35, 60, 85, 110]) expect(learningRateFactor(t, s)).toBeCloseTo(1 - (t - 10) / 100, 12);
    expect(learningRateFactor(5, s)).toBeCloseTo(0.6, 12);
  });

  it('cosine decay follows ½(1 + cos(πt/T))', () => {
    const s = sched('cosine', 0, 200);
    for (let t = 0; t <= 200; t += 17) expect(learningRateFactor(t, s)).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * t) / 200)), 12);
    expect(learningRateFactor(100, s)).toBeCloseTo(0.5, 12);
    expect(learningRateFactor(200, s)).toBeCloseTo(0, 12);
  });

  it('an unknown schedule fails naming the valid ones', () => {
    expect(() => learningRateFactor(3, sched('step' as LrSchedule, 0, 10))).toThrow(/constant, linear, cosine/);
  });
});

describe('clipping by global norm', () => {
  it('scales every gradient by maxNorm / ‖g‖ when the joint norm is larger, and leaves smaller ones alone', () => {
    const before = tf.memory().numTensors;
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // joint norm 5
    const clipped = clipByGlobalNorm(grads, 1);
    expect(Array.from(clipped.a.dataSync())).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(Array.from(clipped.b.dataSync())).toEqual([0, expect.closeTo(0.8, 6)]);
    const loose = clipByGlobalNorm(grads, 10);
    expect(Array.from(loose.b.dataSync())).toEqual([0, 4]);
    tf.dispose([...Object.values(grads), ...Object.values(clipped), ...Object.values(loose)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Adam with a constant gradient g has m̂ = g and v̂ = g² at every step, so each step moves by lr·g/(|g| + ε). */
function closedFormAdamW(w0: number, g: number, lrs: number[], decay: number, eps = 1e-7): number {
  let w = w0;
  for (const lr of lrs) w = w * (1 - lr * decay) - (lr * g) / (Math.abs(g) + eps);
  return w;
}

describe('AdamW with a schedule', () => {
  const run = (training: TrainingConfig, g: number, steps: number) => {
    const kernel = tf.variable(tf.tensor2d([[2, -1]]));
    const bias = tf.variable(tf.tensor1d([2]));
    const optimizer = tf.train.adam(0.1, 0.9, 0.999);
    const lrs: number[] = [];
    for (let t = 0; t < steps; t++) {
      const grads = { [kernel.name]: tf.fill([1, 2], g), [bias.name]: tf.fill([1], g) };
      lrs.push(applyUpdate({ optimizer, variables: [kernel, bias], baseLearningRate: 0.1 }, grads, t, training));
      tf.dispose(Object.values(grads));
    }
    const out = { kernel: Array.from(kernel.dataSync()), bias: bias.dataSync()[0], lrs };
    tf.dispose([kernel, bias]);
    optimizer.dispose();
    return out;
  };

  it('decays weight matrices by lr·λ apart from the Adam step, not biases, at the scheduled rate', () => {
    const training = { ...DEFAULT_TRAINING, steps: 12, lrSchedule: 'cosine' as const, warmupSteps: 3, weightDecay: 0.5 };
    const { kernel, bias, lrs } = run(training, 0.3, 12);
    const expected = Array.from({ length: 12 }, (_, t) => 0.1 * learningRateFactor(t, training));
    lrs.forEach((lr, t) => expect(lr).toBeCloseTo(expected[t], 10));
    expect(kernel[0]).toBeCloseTo(closedFormAdamW(2, 0.3, expected, 0.5), 4);
    expect(kernel[1]).toBeCloseTo(closedFormAdamW(-1, 0.3, expected, 0.5), 4);
    expect(bias).toBeCloseTo(closedFormAdamW(2, 0.3, expected, 0), 4);
  });

  it('clipping a constant gradient leaves the Adam step as it was, since that step ignores the scale', () => {
    const plain = run({ ...DEFAULT_TRAINING, steps: 5 }, 8, 5);
    const clipped = run({ ...DEFAULT_TRAINING, steps: 5, clipNorm: 0.01 }, 8, 5);
    clipped.kernel.forEach((w, i) => expect(w).toBeCloseTo(plain.kernel[i], 3));
    expect(plain.kernel[0]).toBeCloseTo(closedFormAdamW(2, 8, [0.1, 0.1, 0.1, 0.1, 0.1], 0), 4);
  });
});

describe('the trainer applies the settings', () => {
  const moved = async (training: Partial<TrainingConfig>) => {
    const base = ganDoc();
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load({ ...base, training: { ...base.training, ...training } })).ok).toBe(true);
    const weights = () => trainer.compiled!.networks.flatMap((n) => n.model.getWeights().map((w) => Array.from(w.dataSync())));
    const before = weights();
    await trainer.step(1);
    const after = weights();
    trainer.dispose();
    return Math.max(...after.flatMap((w, i) => w.map((x, j) => Math.abs(x - before[i][j]))));
  };

  it('the first step of a long warm-up barely moves the weights; without it they move by about the learning rate', async () => {
    const full = await moved({ learningRate: 1e-3 });
    const warm = await moved({ learningRate: 1e-3, warmupSteps: 1_000_000 });
    expect(full).toBeGreaterThan(1e-4);
    expect(warm).toBeLessThan(full * 1e-4);
  });
});
