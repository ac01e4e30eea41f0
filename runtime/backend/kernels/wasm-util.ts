// Helpers for kernels that run on the wasm backend: call its own compiled kernels and read or
// write tensors in place in wasm memory, so data never travels through the JS heap.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
export type Attrs = tf.NamedAttrMap;
export type Inputs = tf.NamedTensorInfoMap;

export interface WasmKernelArgs {
  inputs: Inputs;
  backend: BackendWasm;
  attrs?: Attrs;
}

/** Runs a kernel already registered on 'wasm' (an XNNPACK conv, a transpose…) on wasm tensors. */
export function runWasm(kernelName: string, backend: BackendWasm, inputs: Inputs, attrs: Attrs = {}): TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (!kernel) throw new Error(`kernel '${kernelName}' is not registered for backend 'wasm'`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`kernel '${kernelName}' returned several outputs, expected one`);
  return out;
}

/** Allocates an uninitialised float32/int32 tensor in wasm memory. */
export function alloc(backend: BackendWasm, shape: number[], dtype: 'float32' | 'int32' = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/**
 * A live view of a tensor's bytes in wasm memory. Views go stale when wasm memory grows, which
 * any allocation can cause: take views after the last alloc and before the next kernel call.
 */
export function heapF32(backend: BackendWasm, t: TensorInfo): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** All of wasm memory as floats, for copyWithin/fill between tensors by float offset. */
export function wholeHeapF32(backend: BackendWasm): Float32Array {
  return new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

/** A tensor's position in wholeHeapF32. */
export function offsetF32(backend: BackendWasm, t: TensorInfo): number {
  return heapF32(backend, t).byteOffset >> 2;
}

export function heapI32(backend: BackendWasm, t: TensorInfo): Int32Array {
  if (t.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${t.dtype}`);
  return backend.typedArrayFromHeap(t) as Int32Array;
}

export function free(backend: BackendWasm, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

export function as4d(shape: number[], what: string): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`${what} must be rank 4, got shape [${shape.join(', ')}]`);
  return shape as [number, number, number, number];
}
