// UnsortedSegmentSum: the gradient of gather, so every embedding lookup needs it to train.
import * as tf from '@tensorflow/tfjs';
import { alloc, heapF32, heapI32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

export const unsortedSegmentSum: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm expects float32 or int32 x, got ${x.dtype}`);
  }
  const idRank = segmentIds.shape.length;
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(idRank));
  const out = alloc(backend, [numSegments, ...x.shape.slice(idRank)], x.dtype);
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum expects int32 segmentIds, got ${segmentIds.dtype}`);
  }
  const ids = heapI32(backend, segmentIds);
  const src = x.dtype === 'float32' ? heapF32(backend, x) : heapI32(backend, x);
  const dst = x.dtype === 'float32' ? heapF32(backend, out) : heapI32(backend, out);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    // Like TensorFlow, ids outside [0, numSegments) are dropped.
    if (s < 0 || s >= numSegments) continue;
    const d0 = s * inner;
    const s0 = r * inner;
    for (let i = 0; i < inner; i++) dst[d0 + i] += src[s0 + i];
  }
  return out;
};

