// Runs the same computation on the cpu and wasm backends from the same inputs, for parity tests.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';

let ready: Promise<unknown> | undefined;

/** Activates wasm once per test file (with the training kernels), leaving cpu selectable too. */
export function setupBackends(): Promise<unknown> {
  ready ??= initNodeBackend('wasm');
  return ready;
}

/** Deterministic uniform(-1, 1) values, so failures reproduce. */
export function randomArray(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export interface Input {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

export function rand(shape: number[], seed: number): Input {
  return { shape, values: randomArray(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Runs f on `backend` with fresh tensors built from `inputs`; returns every output's values. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? 'float32'));
    const r = f(...xs);
    return Array.isArray(r) ? r : [r];
  });
  const result = outs.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
  tf.dispose(outs);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  return result;
}

/** Largest |a-b| relative to the larger of 1 and max|a|, across arrays. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
  }
  return err / scale;
}

/** Same computation on cpu (reference) and wasm; every output must match within `tol`. */
export async function expectParity(
  label: string,
  inputs: Input[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  tol = 1e-4,
): Promise<void> {
  const ref = await runOn('cpu', inputs, f);
  const got = await runOn('wasm', inputs, f);
  expect(got.length, label).toBe(ref.length);
  ref.forEach((r, i) => {
    expect(got[i].shape, `${label} output ${i} shape`).toEqual(r.shape);
    const err = maxRelError(r.values, got[i].values);
    expect(err, `${label} output ${i}: max relative error`).toBeLessThan(tol);
  });
}

/** Every gradient of sum(f(xs) * w) for a fixed random w: exercises each backprop kernel. */
export function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, seed = 99): (...xs: tf.Tensor[]) => tf.Tensor[] {
  return (...xs) => {
    const y0 = f(...xs);
    const w = tf.tensor(randomArray(y0.size, seed), y0.shape);
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)));
    return [y0, ...g(xs)];
  };
}
