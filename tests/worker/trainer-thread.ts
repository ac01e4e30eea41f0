// Starts the trainer API in a Node worker thread and wraps it with comlink, as
// runtime/worker/client.ts does with the module Web Worker in the browser.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrainerWorkerApi } from '../../runtime/worker/trainer-api';

export interface TrainerThread {
  remote: Comlink.Remote<TrainerWorkerApi>;
  /** Releases the proxy and ends the thread. */
  close(): Promise<void>;
}

/** tsx's ESM API (its package exports a CommonJS twin under `require`, which cannot load ESM TypeScript). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(join(dirname(cjs), 'index.mjs')).href;
}

/**
 * The entry is TypeScript. A worker thread does not inherit the parent's loader (vitest's), and on
 * Node 20 `execArgv: ['--import', 'tsx']` does not reach the thread's module loader either; so the
 * thread starts from a one-line script that imports the entry with tsx's scoped tsImport.
 */
function tsWorker(entry: URL): Worker {
  const code = `import(${JSON.stringify(tsxEsmApi())}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}));`;
  return new Worker(code, { eval: true });
}

export function startTrainerThread(): TrainerThread {
  const worker = tsWorker(new URL('./thread-entry.ts', import.meta.url));
  const remote = Comlink.wrap<TrainerWorkerApi>(nodeEndpoint(worker));
  let closed = false;
  return {
    remote,
    async close() {
      if (closed) return;
      closed = true;
      remote[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
