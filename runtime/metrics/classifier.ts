// The fixed image classifiers that judge generated images (MNIST score, Fréchet distance), as
// TF-GAN's pretrained MNIST classifier does. One small CNN per dataset, trained once by
// scripts/train-classifiers.ts from the project's own assets; its weights, its measured test
// accuracy and the real data's logit statistics are committed beside this file (classifiers/).
import * as tf from '@tensorflow/tfjs';
import { fromBase64, toBase64 } from '../data/base64';

/** Bump when the layers change: committed weights of another architecture are refused. */
export const CLASSIFIER_ARCH = 'cnn-16c5-32c3-64c3-v1';
export const CLASSIFIER_INPUT = [28, 28, 1] as const;
export const CLASSIFIER_CLASSES = 10;

/** 28×28×1 in [-1, 1] → 10 logits. Three conv/pool stages keep it small (29k weights) and fast. */
export function buildClassifier(seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 16 + k });
  const conv = (filters: number, kernelSize: number, k: number, first = false) =>
    tf.layers.conv2d({
      ...(first ? { inputShape: [...CLASSIFIER_INPUT] } : {}),
      filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: init(k),
    });
  return tf.sequential({
    layers: [
      conv(16, 5, 1, true), // (B, 28, 28, 16)
      tf.layers.maxPooling2d({ poolSize: 2 }), // (B, 14, 14, 16)
      conv(32, 3, 2), // (B, 14, 14, 32)
      tf.layers.maxPooling2d({ poolSize: 2 }), // (B, 7, 7, 32)
      conv(64, 3, 3), // (B, 7, 7, 64)
      tf.layers.maxPooling2d({ poolSize: 2 }), // (B, 3, 3, 64)
      tf.layers.flatten(), // (B, 576)
      tf.layers.dropout({ rate: 0.3, seed: seed * 16 + 4 }),
      tf.layers.dense({ units: CLASSIFIER_CLASSES, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 16 + 5 }) }), // (B, 10) logits
    ],
  });
}

/** Mean and covariance (row-major d×d, divided by n − 1 as TF-GAN does) of a set of logit vectors. */
export interface LogitStats {
  count: number;
  mean: number[];
  cov: number[];
}

/** What the committed file holds besides the weights. */
export interface ClassifierRecord {
  format: 'genloom.classifier';
  arch: string;
  dataset: string;
  /** Accuracy on the asset build's test split, measured with exactly these weights. */
  testAccuracy: number;
  testCount: number;
  trainCount: number;
  /** Logit statistics of the whole training split: the reference for the Fréchet distance. */
  trainStats: LogitStats;
  /** The real-data floor: held-out test images scored as generated samples would be. */
  floor: {
    count: number;
    score: number;
    frechet: number;
    confident: number;
    /** The share of the held-out images the classifier puts in each class: the dataset's own balance, seen as samples are. */
    balance?: number[];
  };
  training: Record<string, number | string>;
  /** One entry per weight tensor, in model.getWeights() order: little-endian float32, base64. */
  weights: { shape: number[]; data: string }[];
}

export function encodeWeights(model: tf.LayersModel): ClassifierRecord['weights'] {
  return model.getWeights().map((w) => {
    const data = w.dataSync() as Float32Array;
    return { shape: w.shape, data: toBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
  });
}

/** The classifier a record describes, weights loaded; refuses weights made for other layers. */
export function classifierFromRecord(record: ClassifierRecord): tf.LayersModel {
  if (record.format !== 'genloom.classifier' || record.arch !== CLASSIFIER_ARCH)
    throw new Error(`classifier for "${record.dataset}" is ${record.arch}, expected ${CLASSIFIER_ARCH}: run \`npx tsx scripts/train-classifiers.ts\``);
  const model = buildClassifier(0);
  const current = model.getWeights();
  if (current.length !== record.weights.length)
    throw new Error(`classifier for "${record.dataset}" has ${record.weights.length} weight tensors, expected ${current.length}`);
  const values = record.weights.map((w, i) => {
    if (w.shape.join('×') !== current[i].shape.join('×'))
      throw new Error(`classifier for "${record.dataset}": weight ${i} is ${w.shape.join('×')}, expected ${current[i].shape.join('×')}`);
    return tf.tensor(new Float32Array(fromBase64(w.data, 'a classifier weight').slice().buffer), w.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

const BATCH = 250;

/** Logits of `count` images (count × 28 × 28 × 1, row-major, in [-1, 1]), count × 10 row-major. */
export function classifierLogits(model: tf.LayersModel, images: Float32Array, count: number): Float32Array {
  const size = CLASSIFIER_INPUT[0] * CLASSIFIER_INPUT[1] * CLASSIFIER_INPUT[2];
  if (images.length !== count * size)
    throw new Error(`the classifier takes 28×28×1 images: ${images.length} values is not ${count} of them`);
  const out = new Float32Array(count * CLASSIFIER_CLASSES);
  for (let i = 0; i < count; i += BATCH) {
    const n = Math.min(BATCH, count - i);
    const logits = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(i * size, (i + n) * size), [n, ...CLASSIFIER_INPUT]);
      return model.predict(x) as tf.Tensor;
    });
    out.set(logits.dataSync(), i * CLASSIFIER_CLASSES);
    logits.dispose();
  }
  return out;
}

const mnistRecord = async () => (await import('./classifiers/mnist.json')).default as unknown as ClassifierRecord;

/**
 * The committed classifiers, loaded on demand (a separate chunk in the browser build). All 70,000
 * digits are judged by the same MNIST classifier, so figures compare across the two digit sets; its
 * floor and statistics stay those of the mnist package's digits it was measured on.
 */
const RECORDS: Record<string, () => Promise<ClassifierRecord>> = {
  mnist: mnistRecord,
  'mnist-full': mnistRecord,
  'fashion-mnist': async () => (await import('./classifiers/fashion-mnist.json')).default as unknown as ClassifierRecord,
};

export function hasClassifier(dataset: string): boolean {
  return dataset in RECORDS;
}

export async function classifierRecord(dataset: string): Promise<ClassifierRecord> {
  const load = RECORDS[dataset];
  if (!load) throw new Error(`no fixed classifier for dataset "${dataset}": expected one of ${Object.keys(RECORDS).join(', ')}`);
  return load();
}
