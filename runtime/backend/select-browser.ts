// Browser (and module Web Worker) backend choice. How wasm starts (threads, binaries served by
// Vite as assets) is in start-wasm-browser.ts; this file must never import Node modules.
import * as tf from '@tensorflow/tfjs';
import { probeGpu, type GpuProbe } from './gpu-probe';
import { setBackendWithin, type BackendInfo, type BackendName } from './select';
import { startWasm, type WasmStart } from './start-wasm-browser';

export type BackendPreference = 'auto' | BackendName;

export interface BrowserBackendInfo extends BackendInfo {
  /** Why this backend, in words for the user (shown beside the backend picker). */
  reason: string;
}

const ACTIVATE_MS = { gpu: 15_000, cpu: 5_000 } as const;

function registered(name: BackendName): boolean {
  return tf.findBackendFactory(name) != null;
}

async function activate(name: BackendName): Promise<WasmStart> {
  if (!registered(name)) return { ok: false, threads: 0, threadNote: '' };
  if (name === 'wasm') return startWasm();
  const ok = await setBackendWithin(name, name === 'cpu' ? ACTIVATE_MS.cpu : ACTIVATE_MS.gpu);
  return { ok, threads: 1, threadNote: '' };
}

/** Puts the thread count into a reason that starts with the backend's name ("wasm on 2 threads: …"). */
export function withThreads(reason: string, threadNote: string): string {
  return threadNote ? reason.replace(/^[a-z]+/, (name) => `${name} on ${threadNote}`) : reason;
}

/** Ordered candidates with the reason each would be chosen, from what the probe found. */
export function rankBackends(pref: BackendPreference, probe: GpuProbe, webgpuAvailable: boolean): [BackendName, string][] {
  const fallbacks: [BackendName, string][] = [
    ['wasm', 'wasm'],
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
  return [['wasm', `wasm: ${why}`], fallbacks[1]];
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
    const started = await activate(name);
    if (started.ok) {
      const note = failures.length > 0 && pref === 'auto' ? ` (${failures.join(', ')} failed to start)` : '';
      return { name, threads: started.threads, reason: withThreads(reason, started.threadNote) + note };
    }
    failures.push(name);
  }
  throw new Error(`no TensorFlow.js backend could start; tried ${failures.join(', ')}`);
}
