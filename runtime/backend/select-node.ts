// Node backend: tfjs-wasm with its binaries read from node_modules on disk.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { setBackendWithin, type BackendInfo } from './select';

export interface NodeBackendInfo extends BackendInfo {
  simd: boolean;
}

const ACTIVATE_MS = 30_000;

/** Directory holding tfjs-backend-wasm's .wasm files, found the way Node resolves the package. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main file sits in dist/, beside the binaries; tfjs appends the file name.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

/**
 * Activates `name` ('wasm' by default) for training in Node. tfjs-wasm cannot start worker
 * threads in Node (blob-URL workers), so it always runs one thread here.
 */
export async function initNodeBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<NodeBackendInfo> {
  if (name === 'cpu') {
    if (!(await setBackendWithin('cpu', ACTIVATE_MS))) throw new Error("backend 'cpu' failed to start");
    return { name: 'cpu', threads: 1, simd: false };
  }
  setWasmPaths(wasmDistDir());
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels();
  if (!(await setBackendWithin('wasm', ACTIVATE_MS))) {
    throw new Error(`backend 'wasm' failed to start; expected its binaries in ${wasmDistDir()}`);
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return { name: 'wasm', threads: 1, simd };
}
