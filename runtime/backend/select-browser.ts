// Browser (and module Web Worker) backend choice. The wasm binaries are served by Vite as
// assets; this file must never import Node modules.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { probeGpu, type GpuProbe } from './gpu-probe';
import { setBackendWithin, type BackendInfo, type BackendName } from './select';
import { registerWasmTrainingKernels } from './wasm-kernels';

export type BackendPreference = 'auto' | BackendName;

export interface BrowserBackendInfo extends BackendInfo {
  /** Why this backend, in words for the user (shown beside the backend picker). */
  reason: string;
}

const ACTIVATE_MS = { gpu: 15_000, wasm: 20_000, cpu: 5_000 } as const;

// tfjs-wasm 4.22's threaded build, minified and cross-origin isolated, throws
// `ReferenceError: e is not defined` in its workers and setBackend never resolves; unminified it
// started one thread on two cores. So threads stay off: a sure single thread beats a hang.
const SINGLE_THREAD_NOTE = 'single thread (tfjs-wasm 4.22 threads hang in minified builds)';

let wasmConfigured = false;

function configureWasm(): void {
  if (wasmConfigured) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels();
  wasmConfigured = true;
}

function registered(name: BackendName): boolean {
  return tf.findBackendFactory(name) != null;
}

async function activate(name: BackendName): Promise<boolean> {
  if (!registered(name)) return false;
  if (name === 'wasm') configureWasm();
  return setBackendWithin(name, name === 'wasm' ? ACTIVATE_MS.wasm : name === 'cpu' ? ACTIVATE_MS.cpu : ACTIVATE_MS.gpu);
}

/** Ordered candidates with the reason each would be chosen, from what the probe found. */
export function rankBackends(pref: BackendPreference, probe: GpuProbe, webgpuAvailable: boolean): [BackendName, string][] {
  const fallbacks: [BackendName, string][] = [
    ['wasm', `wasm, ${SINGLE_THREAD_NOTE}`],
    ['cpu', 'cpu: wasm failed to start'],
  ];
  if (pref !== 'auto') {
    const first: [BackendName, string] = [pref, `${pref}, as chosen`];
    return [first, ...fallbacks.filter(([n]) => n !== pref).map(([n, r]): [BackendName, string] => [n, `${r}; ${pref} failed to start`])];
  }
  const gpu: [BackendName, string][] = [];
  if (probe.webgpuHardware && webgpuAvailable) gpu.push(['webgpu', `webgpu on ${probe.webgpuDescription}`]);
  if (!probe.webglIsSoftware) gpu.push(['webgl', `webgl on ${probe.webglRenderer}`]);
  if (gpu.length > 0) return [...gpu, ...fallbacks];
  const why = probe.webglRenderer
    ? `the GPU is a software renderer (${probe.webglRenderer}), 10–30× slower than wasm`
    : 'no GPU found';
  return [['wasm', `wasm, ${SINGLE_THREAD_NOTE}: ${why}`], fallbacks[1]];
}

/**
 * Activates the backend to train with. 'auto' picks the fastest the machine really has: a
 * hardware GPU through webgpu (when its backend package is loaded) or webgl, else wasm. Each
 * activation is bounded by a timeout and falls back to wasm, then cpu.
 */
export async function initBrowserBackend(pref: BackendPreference = 'auto'): Promise<BrowserBackendInfo> {
  const probe = pref === 'auto' ? await probeGpu() : ({ webglRenderer: null, webglIsSoftware: true, webgpuHardware: false, webgpuDescription: null });
  const failures: string[] = [];
  for (const [name, reason] of rankBackends(pref, probe, registered('webgpu'))) {
    if (await activate(name)) {
      const note = failures.length > 0 && pref === 'auto' ? ` (${failures.join(', ')} failed to start)` : '';
      return { name, threads: 1, reason: reason + note };
    }
    failures.push(name);
  }
  throw new Error(`no TensorFlow.js backend could start; tried ${failures.join(', ')}`);
}
