// Trains the fixed classifiers that judge generated images (runtime/metrics/classifier.ts) from
// the project's own assets, and writes each one's weights, test accuracy, training-set logit
// statistics and real-data floor to runtime/metrics/classifiers/<dataset>.json.
//   npx tsx scripts/train-classifiers.ts [mnist] [fashion-mnist] [--epochs N] [--threads N] [--stats-only]
// Deterministic for a given seed and thread count on the wasm backend; takes minutes per dataset.
// --stats-only keeps the committed weights and measures their accuracy, statistics and floor again.
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initNodeBackend } from '../runtime/backend/select-node';
import { nodeAssets, projectRoot } from '../runtime/data/assets-node';
import { loadDataset, type DataSplit } from '../runtime/data/datasets';
import { permutation, Rng } from '../nodes/rng';
import {
  buildClassifier, CLASSIFIER_ARCH, CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord, encodeWeights,
  type ClassifierRecord,
} from '../runtime/metrics/classifier';
import { IMAGE_SAMPLES } from '../runtime/metrics/quality';
import { classifierScore, classShares, confidentFraction, frechetDistance, logitStats } from '../runtime/metrics/images';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Random shifts of up to this many pixels each way: the augmentation that lifts a small CNN on 10k digits. */
const MAX_SHIFT = 2;
const BATCH = 128;
const PEAK_LR = 2e-3;

interface Options {
  datasets: string[];
  epochs: number;
  threads: number;
  seed: number;
  statsOnly: boolean;
}

function parse(argv: string[]): Options {
  const opts: Options = { datasets: [], epochs: 30, threads: 1, seed: 1, statsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} expects a whole number ≥ 1, got ${argv[i]}`);
      return v;
    };
    if (a === '--epochs') opts.epochs = num();
    else if (a === '--threads') opts.threads = num();
    else if (a === '--seed') opts.seed = num();
    else if (a === '--stats-only') opts.statsOnly = true;
    else if (a === 'mnist' || a === 'fashion-mnist') opts.datasets.push(a);
    else throw new Error(`unknown argument "${a}": expected mnist, fashion-mnist, --epochs N, --threads N or --seed N`);
  }
  if (opts.datasets.length === 0) opts.datasets = ['mnist', 'fashion-mnist'];
  return opts;
}

/** One batch of images, each shifted by a random whole number of pixels (background −1 fills in). */
function shiftedBatch(split: DataSplit, idx: Int32Array, rng: Rng): Float32Array {
  const out = new Float32Array(idx.length * PIXELS).fill(-1);
  for (let b = 0; b < idx.length; b++) {
    const dx = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    const dy = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    const src = idx[b] * PIXELS;
    for (let y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
      const from = src + (y - dy) * SIDE;
      const to = b * PIXELS + y * SIDE;
      for (let x = Math.max(0, dx); x < Math.min(SIDE, SIDE + dx); x++) out[to + x] = split.x[from + x - dx];
    }
  }
  return out;
}

function accuracy(logits: Float32Array, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < CLASSIFIER_CLASSES; k++) if (logits[i * CLASSIFIER_CLASSES + k] > logits[i * CLASSIFIER_CLASSES + best]) best = k;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

/**
 * What the record says besides the weights: test accuracy, the training split's logit statistics
 * and the real-data floor, measured on as many test images as the meter draws samples, so the
 * floor carries the same small-sample bias as the model's figure.
 */
function measure(model: tf.LayersModel, tr: DataSplit, test: DataSplit): Pick<ClassifierRecord, 'testAccuracy' | 'testCount' | 'trainCount' | 'trainStats' | 'floor'> {
  const testLogits = classifierLogits(model, test.x, test.count);
  const trainStats = logitStats(classifierLogits(model, tr.x, tr.count), CLASSIFIER_CLASSES);
  const floorLogits = testLogits.subarray(0, Math.min(test.count, IMAGE_SAMPLES) * CLASSIFIER_CLASSES);
  return {
    testAccuracy: accuracy(testLogits, test.labels!),
    testCount: test.count,
    trainCount: tr.count,
    trainStats,
    floor: {
      count: floorLogits.length / CLASSIFIER_CLASSES,
      score: classifierScore(floorLogits, CLASSIFIER_CLASSES),
      frechet: frechetDistance(logitStats(floorLogits, CLASSIFIER_CLASSES), trainStats),
      confident: confidentFraction(floorLogits, CLASSIFIER_CLASSES),
      balance: classShares(floorLogits, CLASSIFIER_CLASSES),
    },
  };
}

async function imageSplits(name: string): Promise<{ tr: DataSplit; test: DataSplit }> {
  const ds = await loadDataset(name, nodeAssets);
  if (ds.exampleShape.join('×') !== '28×28×1') throw new Error(`${name} images are ${ds.exampleShape.join('×')}, the classifier takes 28×28×1`);
  return { tr: ds.train, test: ds.test };
}

async function remeasure(name: string): Promise<ClassifierRecord> {
  const old = await classifierRecord(name);
  const { tr, test } = await imageSplits(name);
  const model = classifierFromRecord(old);
  const record = { ...old, ...measure(model, tr, test) };
  model.dispose();
  return record;
}

async function train(name: string, opts: Options): Promise<ClassifierRecord> {
  const { tr, test } = await imageSplits(name);
  const model = buildClassifier(opts.seed);
  const optimizer = tf.train.adam(PEAK_LR);
  const rng = new Rng(opts.seed);
  const stepsPerEpoch = Math.ceil(tr.count / BATCH);
  const totalSteps = opts.epochs * stepsPerEpoch;
  let step = 0;
  const t0 = performance.now();
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = permutation(tr.count, opts.seed * 1000 + epoch);
    let lossSum = 0;
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      // Cosine decay to zero: the last epochs settle instead of bouncing between minima.
      (optimizer as unknown as { learningRate: number }).learningRate = (PEAK_LR / 2) * (1 + Math.cos((Math.PI * step) / totalSteps));
      const idx = order.subarray(s * BATCH, Math.min((s + 1) * BATCH, tr.count));
      const xs = shiftedBatch(tr, idx, rng);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(xs, [idx.length, SIDE, SIDE, 1]);
        const y = tf.oneHot(tf.tensor1d(Array.from(idx, (i) => tr.labels![i]), 'int32'), CLASSIFIER_CLASSES);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
    }
    const testAcc = accuracy(classifierLogits(model, test.x, test.count), test.labels!);
    console.log(`${name} epoch ${epoch + 1}/${opts.epochs}: loss ${(lossSum / stepsPerEpoch).toFixed(4)}, test accuracy ${(100 * testAcc).toFixed(2)}%, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  optimizer.dispose();

  const record: ClassifierRecord = {
    format: 'genloom.classifier',
    arch: CLASSIFIER_ARCH,
    dataset: name,
    ...measure(model, tr, test),
    training: {
      epochs: opts.epochs, batch: BATCH, peakLearningRate: PEAK_LR, schedule: 'cosine to 0', optimizer: 'adam',
      augmentation: `random shifts of up to ${MAX_SHIFT} px`, seed: opts.seed, threads: opts.threads, backend: tf.getBackend(),
      seconds: Math.round((performance.now() - t0) / 1000),
    },
    weights: encodeWeights(model),
  };
  model.dispose();
  return record;
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  tf.env().set('PROD', true);
  await initNodeBackend('wasm', { threads: opts.threads });
  for (const name of opts.datasets) {
    const record = opts.statsOnly ? await remeasure(name) : await train(name, opts);
    const file = join(projectRoot(), 'runtime', 'metrics', 'classifiers', `${name}.json`);
    await writeFile(file, JSON.stringify(record) + '\n');
    console.log(
      `${name}: test accuracy ${(100 * record.testAccuracy).toFixed(2)}% on ${record.testCount}; real-data floor on ${record.floor.count} test images: ` +
        `score ${record.floor.score.toFixed(3)}, Fréchet ${record.floor.frechet.toFixed(4)} (against the training split); wrote ${file}`,
    );
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
