// Backend choice shared by Node and the browser. Platform-specific loaders live in
// select-node.ts (touches the file system) and select-browser.ts (Vite asset URLs).
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend computes with (1 unless threaded wasm really started). */
  threads: number;
}

/**
 * tf.setBackend can hang forever (threaded wasm whose workers crash never resolves), so every
 * activation is raced against a timer. Resolves true only when the backend is active.
 */
export async function setBackendWithin(name: BackendName, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    const ok = await Promise.race([tf.setBackend(name).catch(() => false), timeout]);
    return ok === true && tf.getBackend() === name;
  } finally {
    clearTimeout(timer);
  }
}
