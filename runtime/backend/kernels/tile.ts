// Tile by block copies in wasm memory: each axis's first replica is built, then copied whole.
// The shipped kernel computes every output index separately (~35 ms to broadcast a [1,1,1,64]
// batchNorm term over a 64×14×14 batch; this takes a few).
import * as tf from '@tensorflow/tfjs';
import { alloc, offsetF32, wholeHeapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

export function makeTile(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
    const { x } = inputs as { x: TensorInfo };
    const { reps } = attrs as unknown as tf.TileAttrs;
    // float32 and int32 share a 4-byte layout, so one float view copies both bit-exactly.
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length === 0) return shipped(args);
    const rank = x.shape.length;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const out = alloc(backend, outShape, x.dtype);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    const srcStride = tf.util.computeStrides(x.shape);
    const dstStride = tf.util.computeStrides(outShape);
    const heap = wholeHeapF32(backend);
    const viewOf = (t: TensorInfo) => offsetF32(backend, t.dtype === 'int32' ? { ...t, dtype: 'float32' } : t);
    const fill = (d: number, src: number, dst: number): void => {
      const n = x.shape[d];
      if (d === rank - 1) {
        heap.copyWithin(dst, src, src + n);
      } else {
        for (let i = 0; i < n; i++) fill(d + 1, src + i * srcStride[d], dst + i * dstStride[d]);
      }
      const block = n * (d === rank - 1 ? 1 : dstStride[d]);
      for (let r = 1; r < reps[d]; r++) heap.copyWithin(dst + r * block, dst, dst + block);
    };
    fill(0, viewOf(x), viewOf(out));
    return out;
  };
}
