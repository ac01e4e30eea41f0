// Class agreement, the figure for class-conditional samples: the share the fixed classifier puts in
// the class each sample was asked to be.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadDataset } from '../../runtime/data/datasets';
import { classAgreement } from '../../runtime/metrics/images';
import { createQualityMeter } from '../../runtime/metrics/quality';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('classAgreement', () => {
  it('counts the rows whose largest logit is the asked-for class', () => {
    const logits = [5, 1, 0, /**/ 0, 2, 3, /**/ -1, -2, -0.5, /**/ 0, 9, 1];
    expect(classAgreement(logits, 3, [0, 2, 2, 1])).toBe(1);
    expect(classAgreement(logits, 3, [0, 1, 2, 0])).toBe(0.5);
    expect(() => classAgreement(logits, 3, [0, 1])).toThrow(/2 asked-for classes for 4 samples/);
  });

  it('the MNIST meter reports it only for images that carry classes: real digits agree with their labels, not with others', async () => {
    const { test } = await loadDataset('mnist', nodeAssets);
    const n = 300;
    const labels = Array.from(test.labels!.subarray(0, n));
    const data = test.x.subarray(0, n * 784);
    const batch = { kind: 'images' as const, count: n, height: 28, width: 28, channels: 1, data };
    const before = tf.memory().numTensors;
    const meter = await createQualityMeter({ kind: 'images', dataset: 'mnist' });
    expect(meter.measure(batch).agreement).toBeUndefined();
    const right = meter.measure({ ...batch, classes: labels }).agreement;
    const wrong = meter.measure({ ...batch, classes: labels.map((c) => (c + 1) % 10) }).agreement;
    expect(right).toBeGreaterThan(0.95);
    expect(wrong).toBeLessThan(0.05);
    expect(meter.floor.agreement).toBeGreaterThan(0.95);
    meter.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
