// Node backend: tfjs-wasm with its binaries read from node_modules on disk.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { withNodeThreadSupport } from './node-wasm-threads';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { setBackendWithin, type BackendInfo } from './select';

export interface NodeBackendInfo extends BackendInfo {
  simd: boolean;
}

const ACTIVATE_MS = 30_000;

/** Directory holding tfjs-backend-wasm's .wasm files, found the way Node resolves the package. */
function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main file sits in dist/, beside the binaries; tfjs appends the file name.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

export interface NodeBackendOptions {
  /**
   * XNNPACK threads for wasm (default 1). Above 1, tfjs's threaded build is started through
   * node-wasm-threads.ts, and the process keeps running until it calls process.exit: the pool's
   * worker threads hold it open.
   */
  threads?: number;
}

/** Activates `name` ('wasm' by default) for training in Node. */
export async function initNodeBackend(name: 'wasm' | 'cpu' = 'wasm', opts: NodeBackendOptions = {}): Promise<NodeBackendInfo> {
  if (name === 'cpu') {
    if (!(await setBackendWithin('cpu', ACTIVATE_MS))) throw new Error("backend 'cpu' failed to start");
    return { name: 'cpu', threads: 1, simd: false };
  }
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number ≥ 1, got ${threads}`);
  setWasmPaths(wasmDistDir());
  // tfjs reports no thread support in Node; node-wasm-threads.ts supplies what it lacks.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  setThreadsCount(threads);
  registerWasmTrainingKernels();
  const start = () => setBackendWithin('wasm', ACTIVATE_MS);
  if (!(await (threads > 1 ? withNodeThreadSupport(start) : start()))) {
    throw new Error(`backend 'wasm' failed to start; expected its binaries in ${wasmDistDir()}`);
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  return { name: 'wasm', threads: getThreadsCount(), simd };
}
