// The page side of the training worker: starts it, waits for its backend, and hands back the
// comlink remote. Restarting (another backend) means a new worker: tfjs cannot unload a backend.
import * as Comlink from 'comlink';
import type { BackendPreference, BrowserBackendInfo } from '../backend/select-browser';
import type { TrainerEvent } from '../train/events';
import type { TrainerWorkerApi } from './trainer-api';

export type { RemoteSampleRequest } from './protocol';

export interface TrainerWorker {
  remote: Comlink.Remote<TrainerWorkerApi>;
  backend: BrowserBackendInfo;
  terminate(): void;
}

/** `onCrash` hears an uncaught error in a running worker (a WebAssembly abort, memory exhausted). */
export async function startTrainerWorker(pref: BackendPreference, onEvent: (e: TrainerEvent) => void, onCrash?: (message: string) => void): Promise<TrainerWorker> {
  const worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'genloom-trainer' });
  const remote = Comlink.wrap<TrainerWorkerApi>(worker);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`the training worker failed to start: ${e.message || 'script error'}`)), { once: true });
  });
  const terminate = () => {
    remote[Comlink.releaseProxy]();
    worker.terminate();
  };
  try {
    const backend = await Promise.race([remote.init(pref, Comlink.proxy(onEvent)), failed]);
    worker.addEventListener('error', (e) => onCrash?.(e.message || 'the training worker stopped'));
    return { remote, backend, terminate };
  } catch (err) {
    terminate();
    throw err;
  }
}
