// Kernels that tfjs-backend-wasm 4.22 lacks (or ships too slowly) for training, registered on
// 'wasm'. Each was found by running gradients of the models Genloom builds; see
// tests/backend for the parity checks against the cpu backend. Kernels live in tfjs-core's
// registry, so this module does not load the wasm backend itself: select-node.ts and
// select-browser.ts do, each in the form its platform can load.
import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMul } from './kernels/batch-mat-mul';
import { conv2DBackpropFilter } from './kernels/conv2d-backprop-filter';
import { makeConv2DBackpropInput } from './kernels/conv2d-backprop-input';
import { makeGreater, makeLeakyRelu, makeMean, makeSelect, makeSum } from './kernels/elementwise';
import { makeIdentity } from './kernels/identity';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './kernels/depthwise-backprop';
import { maxPoolGrad } from './kernels/max-pool-grad';
import { makeTile } from './kernels/tile';
import { unsortedSegmentSum } from './kernels/unsorted-segment-sum';

const BACKEND = 'wasm';
/** Marks our kernel functions, so registration can tell them from the shipped ones. */
const OURS = new WeakSet<tf.KernelFunc>();

function put(kernelName: string, kernelFunc: tf.KernelFunc): void {
  const existing = tf.getKernel(kernelName, BACKEND);
  if (existing && OURS.has(existing.kernelFunc)) return;
  if (existing) tf.unregisterKernel(kernelName, BACKEND);
  OURS.add(kernelFunc);
  // Ours may delegate to the shipped kernel, whose setupFunc binds its wasm function when the
  // backend starts (possibly after this call), so that setup is kept.
  tf.registerKernel({
    kernelName, backendName: BACKEND, kernelFunc,
    setupFunc: existing?.setupFunc, disposeFunc: existing?.disposeFunc,
  });
}

/** Names of the kernels this module provides on 'wasm' (replacing shipped ones where present). */
export const WASM_TRAINING_KERNELS = [
  tf.Conv2DBackpropInput,
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.UnsortedSegmentSum,
  tf.MaxPoolGrad,
  tf.BatchMatMul,
  tf.Tile,
  tf.LeakyRelu,
  tf.Greater,
  tf.Select,
  tf.Sum,
  tf.Mean,
  tf.Identity,
] as const;

/** The kernel registered on 'wasm' before ours, which ours delegate to for cases they leave alone. */
function shipped(kernelName: string): tf.KernelFunc | undefined {
  const k = tf.getKernel(kernelName, BACKEND);
  return k && !OURS.has(k.kernelFunc) ? k.kernelFunc : undefined;
}

/** Registers every training kernel on the 'wasm' backend. Safe to call any number of times. */
export function registerWasmTrainingKernels(): void {
  put(tf.Conv2DBackpropInput, makeConv2DBackpropInput(shipped(tf.Conv2DBackpropInput)));
  put(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  put(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput);
  put(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter);
  put(tf.UnsortedSegmentSum, unsortedSegmentSum);
  put(tf.MaxPoolGrad, maxPoolGrad);
  const matMul = shipped(tf.BatchMatMul);
  if (matMul) put(tf.BatchMatMul, makeBatchMatMul(matMul));
  const tile = shipped(tf.Tile);
  if (tile) put(tf.Tile, makeTile(tile));
  const wrappers: [string, (k: tf.KernelFunc) => tf.KernelFunc][] = [
    [tf.LeakyRelu, makeLeakyRelu], [tf.Greater, makeGreater], [tf.Select, makeSelect],
    [tf.Sum, makeSum], [tf.Mean, makeMean], [tf.Identity, makeIdentity],
  ];
  for (const [name, wrap] of wrappers) {
    const k = shipped(name);
    if (k) put(name, wrap(k));
  }
}
