// The exported MNIST classifier (classifier.py and its weights) gives the probabilities Genloom's fixed
// classifier gives on the same digits, so the digit-probability rater rates alike in both. Runs
// Debian's python3-torch; without it (outside CI) the test is skipped with a message.
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { addClassifier } from '../../runtime/export/pytorch/classifier-py';
import { npy } from '../../runtime/export/pytorch/npy';
import type { ProjectFiles } from '../../runtime/export/pytorch/data-py';
import { CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord } from '../../runtime/metrics/classifier';
import { hasTorch, PYTHON, writeProject } from './harness';

const COUNT = 32;
const RUN = `import json, sys
import numpy as np, torch
import classifier
x = torch.from_numpy(np.load("digits.npy"))
print(json.dumps({"probs": classifier.load()(x).softmax(-1).flatten().tolist(), "sevens": classifier.digit_probability(x, 7).tolist()}))
`;

let dir = '';

describe.skipIf(!hasTorch)('the MNIST classifier in PyTorch', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'genloom-classifier-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives Genloom's probabilities on real digits, within 1e-4", async () => {
    const bytes = await readFile(join(import.meta.dirname, '../../public/assets/mnist-test-images.u8'));
    const images = Float32Array.from(bytes.subarray(0, COUNT * 784), (b) => b * (2 / 255) - 1); // (N, 28, 28, 1) in [-1, 1]
    const files: ProjectFiles = new Map();
    await addClassifier(files);
    await writeProject(files, dir);
    // One channel: (N, 28, 28, 1) and (N, 1, 28, 28) hold the values in the same order.
    await writeFile(join(dir, 'digits.npy'), npy(images, [COUNT, 1, 28, 28]));
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', RUN], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const got = JSON.parse(stdout) as { probs: number[]; sevens: number[] };

    const model = classifierFromRecord(await classifierRecord('mnist'));
    const before = tf.memory().numTensors;
    const logits = classifierLogits(model, images, COUNT);
    const probs = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [COUNT, CLASSIFIER_CLASSES])).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();

    expect(got.probs).toHaveLength(probs.length);
    const worst = Math.max(...Array.from(probs, (p, i) => Math.abs(p - got.probs[i])));
    expect(worst).toBeLessThan(1e-4);
    for (let i = 0; i < COUNT; i++) expect(Math.abs(got.sevens[i] - probs[i * CLASSIFIER_CLASSES + 7])).toBeLessThan(1e-4);
    // Real digits: the classifier is confident on most, so the comparison is not between near-uniform rows.
    const confident = Array.from({ length: COUNT }, (_, i) => Math.max(...probs.subarray(i * CLASSIFIER_CLASSES, (i + 1) * CLASSIFIER_CLASSES))).filter((p) => p > 0.9);
    expect(confident.length).toBeGreaterThan(COUNT / 2);
  });
});
