// Starts tfjs-wasm in the browser: threaded, one thread per core, when the page is cross-origin
// isolated; single-threaded otherwise, or when the threaded start fails or hangs. Threads need the
// build fix in wasm-threads-plugin.ts. Never imports Node modules.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { setBackendWithin } from './select';
import { registerWasmTrainingKernels } from './wasm-kernels';

// The threaded start compiles the module and loads 8 pthread workers before it resolves.
const THREADED_MS = 15_000;
const SINGLE_MS = 20_000;

export interface WasmStart {
  ok: boolean;
  threads: number;
  /** How many threads and, with one, why: "2 threads", "1 thread (one core)". */
  threadNote: string;
}

let configured = false;

function configure(): void {
  if (configured) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  registerWasmTrainingKernels();
  configured = true;
}

/** How many cores this context reports, and whether it may share memory with workers. */
export function threadSupport(): { cores: number; isolated: boolean } {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return {
    cores: Math.max(1, g.navigator?.hardwareConcurrency ?? 1),
    isolated: g.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined',
  };
}

interface ErrorScope {
  addEventListener(type: 'error', f: (e: ErrorEvent) => void): void;
  removeEventListener(type: 'error', f: (e: ErrorEvent) => void): void;
}

/**
 * Runs `work` while catching the errors raised in this worker's scope. A pthread worker that
 * crashes rethrows here (emscripten's onerror), and uncaught it would reach the page as the
 * training worker failing, before the single-threaded fallback could start. `failed` resolves
 * with the first error's message.
 */
async function catchingWorkerErrors<T>(work: (failed: Promise<string>) => Promise<T>): Promise<T> {
  const scope = globalThis as Partial<ErrorScope>;
  if (typeof scope.addEventListener !== 'function' || typeof scope.removeEventListener !== 'function') {
    return work(new Promise<string>(() => {}));
  }
  let report: (message: string) => void = () => {};
  const failed = new Promise<string>((resolve) => (report = resolve));
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    // emscripten rethrows the thread's own ErrorEvent, whose message names the real error.
    const inner: unknown = e.error;
    const innerMessage = typeof inner === 'object' && inner !== null && 'message' in inner ? String(inner.message) : '';
    report(innerMessage || e.message || 'a wasm thread failed');
  };
  scope.addEventListener('error', onError);
  try {
    return await work(failed);
  } finally {
    scope.removeEventListener('error', onError);
  }
}

async function startSingle(threadNote: string): Promise<WasmStart> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return { ok: await setBackendWithin('wasm', SINGLE_MS), threads: 1, threadNote };
}

/** Activates 'wasm', with as many threads as the page allows. */
export async function startWasm(): Promise<WasmStart> {
  configure();
  const { cores, isolated } = threadSupport();
  if (!isolated || cores === 1) return startSingle(`1 thread (${cores === 1 ? 'one core' : 'the page is not cross-origin isolated'})`);
  // tfjs would use half the cores; the plugin lifts its cap so this count is what runs.
  setThreadsCount(cores);
  return catchingWorkerErrors(async (failed) => {
    const outcome = await Promise.race([
      setBackendWithin('wasm', THREADED_MS).then((ok) => (ok ? null : `no answer in ${THREADED_MS / 1000} s`)),
      failed,
    ]);
    if (outcome === null) {
      const threads = getThreadsCount();
      return { ok: true, threads, threadNote: threads > 1 ? `${threads} threads` : '1 thread (this browser has no wasm threads)' };
    }
    // The abandoned threaded start never settles or is ignored: tfjs keeps only its newest init.
    return startSingle(`1 thread (threaded wasm failed to start: ${outcome})`);
  });
}
