// The committed fixed classifiers (runtime/metrics/classifiers/): each reaches the test accuracy
// recorded beside its weights, and the image meter scores real held-out images at the recorded
// real-data floor. Inference only, on the backend the classifiers were trained on.
import { statSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadDataset } from '../../runtime/data/datasets';
import { CLASSIFIER_ARCH, CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord } from '../../runtime/metrics/classifier';
import { createQualityMeter, IMAGE_SAMPLES } from '../../runtime/metrics/quality';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function accuracy(logits: Float32Array, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * CLASSIFIER_CLASSES, (i + 1) * CLASSIFIER_CLASSES);
    if (row.indexOf(Math.max(...row)) === labels[i]) right++;
  }
  return right / labels.length;
}

const images = (x: Float32Array, count: number) => ({ kind: 'images' as const, count, height: 28, width: 28, channels: 1, data: x });

describe.each(['mnist', 'fashion-mnist'])('the fixed %s classifier', (name) => {
  it('is small and reaches its recorded accuracy on the test split', async () => {
    const file = new URL(`../../runtime/metrics/classifiers/${name}.json`, import.meta.url);
    expect(statSync(file).size).toBeLessThan(1_000_000);
    const record = await classifierRecord(name);
    expect(record.arch).toBe(CLASSIFIER_ARCH);
    const { test } = await loadDataset(name, nodeAssets);
    expect(record.testCount).toBe(test.count);
    const model = classifierFromRecord(record);
    const acc = accuracy(classifierLogits(model, test.x, test.count), test.labels!);
    model.dispose();
    console.log(`${name}: test accuracy ${(100 * acc).toFixed(2)}% (recorded ${(100 * record.testAccuracy).toFixed(2)}%)`);
    expect(acc).toBeCloseTo(record.testAccuracy, 2);
    // Far above chance (10%): the weights are those of a trained network.
    expect(acc).toBeGreaterThan(name === 'mnist' ? 0.98 : 0.85);
  });

  it('scores real test images at the recorded floor, a collapsed set far from it, without leaking tensors', async () => {
    const record = await classifierRecord(name);
    const { test } = await loadDataset(name, nodeAssets);
    const before = tf.memory().numTensors;
    const meter = await createQualityMeter({ kind: 'images', dataset: name });
    expect(meter.sampleCount).toBe(IMAGE_SAMPLES);
    const t0 = performance.now();
    const real = meter.measure(images(test.x.subarray(0, IMAGE_SAMPLES * 784), IMAGE_SAMPLES));
    const ms = performance.now() - t0;
    console.log(`${name}: real test images ${JSON.stringify(real)} in ${ms.toFixed(0)} ms; floor ${JSON.stringify(record.floor)}`);
    expect(real.score).toBeCloseTo(record.floor.score, 2);
    expect(real.frechet).toBeCloseTo(record.floor.frechet, 2);
    expect(real.confident).toBeCloseTo(record.floor.confident, 2);
    expect(real.score).toBeGreaterThan(5);
    // One image repeated: a single class, no spread, so score 1 and a large distance.
    const one = new Float32Array(IMAGE_SAMPLES * 784);
    for (let i = 0; i < IMAGE_SAMPLES; i++) one.set(test.x.subarray(0, 784), i * 784);
    const collapsed = meter.measure(images(one, IMAGE_SAMPLES));
    expect(collapsed.score).toBeCloseTo(1, 3);
    expect(collapsed.frechet).toBeGreaterThan(10 * record.floor.frechet);
    expect(() => meter.measure(images(new Float32Array(2 * 32 * 32), 2))).toThrow(/28×28×1 images/);

    // Asked for its own labels, real data agrees as often as the classifier is right; its balance is the floor's.
    const firstLabels = test.labels!.slice(0, IMAGE_SAMPLES);
    const reading = meter.read(images(test.x.subarray(0, IMAGE_SAMPLES * 784), IMAGE_SAMPLES), firstLabels);
    const model = classifierFromRecord(record);
    expect(reading.figures.agreement).toBeCloseTo(accuracy(classifierLogits(model, test.x.subarray(0, IMAGE_SAMPLES * 784), IMAGE_SAMPLES), firstLabels), 10);
    model.dispose();
    expect(reading.balance).toHaveLength(CLASSIFIER_CLASSES);
    reading.balance.forEach((share, k) => expect(share).toBeCloseTo(meter.floorBalance[k], 2));
    // The collapsed set sits in one class, and asked for the other nine it never agrees.
    const oneClass = meter.read(images(one, IMAGE_SAMPLES), Array.from({ length: IMAGE_SAMPLES }, () => (test.labels![0] + 1) % CLASSIFIER_CLASSES));
    expect(Math.max(...oneClass.balance)).toBe(1);
    expect(oneClass.figures.agreement).toBe(0);
    meter.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
