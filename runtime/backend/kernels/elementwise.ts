// Element-wise and reduction kernels whose shipped wasm versions are slow on the shapes training
// produces. LeakyRelu, Greater and Select branch per element on the sign of random data, and the
// mispredictions cost ~8 ms for a 64×14×14×64 batch; Greater against a scalar also indexes the
// broadcast per element. Sum/Mean over leading axes (bias and batch-norm gradients) transpose
// the whole input first. Here LeakyRelu, Greater and Select are branch-free loops and
// leading-axis reductions sum rows in place; other cases go to the shipped kernel.
import * as tf from '@tensorflow/tfjs';
import { alloc, heapF32, wholeHeapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

type Args = Parameters<tf.KernelFunc>[0];

export function makeLeakyRelu(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
    const { x } = inputs as { x: TensorInfo };
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    if (x.dtype !== 'float32') return shipped(args);
    const out = alloc(backend, x.shape);
    const heap = wholeHeapF32(backend);
    const bits = new Int32Array(heap.buffer);
    const src = heapF32(backend, x).byteOffset >> 2;
    const dst = heapF32(backend, out).byteOffset >> 2;
    // The sign bit picks the factor: no branch, and x (or αx, as the cpu backend computes it) exactly.
    const factor = new Float64Array([1, alpha]);
    const n = sizeOf(x);
    for (let i = 0; i < n; i++) heap[dst + i] = heap[src + i] * factor[bits[src + i] >>> 31];
    return out;
  };
}

const sizeOf = (t: TensorInfo) => tf.util.sizeFromShape(t.shape);

/** Greater of a float32 tensor against a float32 scalar or a tensor of its own shape. */
export function makeGreater(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as WasmKernelArgs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const n = sizeOf(a);
    const sameShape = tf.util.arraysEqual(a.shape, b.shape);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || (sizeOf(b) !== 1 && !sameShape) || n < 1024) {
      return shipped(args);
    }
    const out = backend.makeOutput(a.shape, 'bool');
    const x = heapF32(backend, a);
    const y = heapF32(backend, b);
    const dst = backend.typedArrayFromHeap(out) as Uint8Array;
    // `+(p > q)` compiles to a flag move, not a branch.
    if (sameShape) {
      for (let i = 0; i < n; i++) dst[i] = +(x[i] > y[i]);
    } else {
      const s = y[0];
      for (let i = 0; i < n; i++) dst[i] = +(x[i] > s);
    }
    return out;
  };
}

/** Select (where) with a bool condition and float32 branches, all of one shape. */
export function makeSelect(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as WasmKernelArgs;
    const { condition, t, e } = inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
    if (
      condition.dtype !== 'bool' || t.dtype !== 'float32' || e.dtype !== 'float32' ||
      !tf.util.arraysEqual(condition.shape, t.shape) || !tf.util.arraysEqual(t.shape, e.shape)
    ) {
      return shipped(args);
    }
    const out = alloc(backend, t.shape);
    const c = backend.typedArrayFromHeap(condition) as Uint8Array;
    // Bit masks on int views pick without branching and copy the chosen float's bits exactly.
    const heap = new Int32Array(wholeHeapF32(backend).buffer);
    const a = heapF32(backend, t).byteOffset >> 2;
    const b = heapF32(backend, e).byteOffset >> 2;
    const d = heapF32(backend, out).byteOffset >> 2;
    const n = sizeOf(t);
    for (let i = 0; i < n; i++) {
      const m = -c[i];
      heap[d + i] = (heap[a + i] & m) | (heap[b + i] & ~m);
    }
    return out;
  };
}

/** Number of leading axes `axis` names when it is exactly 0..k-1 with k < rank, else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set(tf.util.parseAxisParam(axis, Array(rank).fill(1)))].sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((v, i) => v === i) ? axes.length : 0;
}

function makeLeadingReduce(shipped: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args: Args) => {
    const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const k = x.dtype === 'float32' ? leadingAxes(axis, rank) : 0;
    if (k === 0) return shipped(args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const cols = tf.util.sizeFromShape(x.shape.slice(k));
    const outShape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    const out = alloc(backend, outShape);
    const src = heapF32(backend, x);
    const dst = heapF32(backend, out);
    const acc = new Float64Array(cols);
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      for (let c = 0; c < cols; c++) acc[c] += src[base + c];
    }
    const scale = mean ? 1 / rows : 1;
    for (let c = 0; c < cols; c++) dst[c] = acc[c] * scale;
    return out;
  };
}

export const makeSum = (shipped: tf.KernelFunc) => makeLeadingReduce(shipped, false);
export const makeMean = (shipped: tf.KernelFunc) => makeLeadingReduce(shipped, true);
