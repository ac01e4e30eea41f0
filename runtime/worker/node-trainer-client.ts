// Starts the trainer in a Node worker thread and wraps it with comlink.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RemoteTrainer } from './node-trainer-api';

export interface NodeTrainerHandle {
  trainer: Comlink.Remote<RemoteTrainer>;
  worker: Worker;
  /** Disposes the trainer and ends the thread. */
  close(): Promise<void>;
}

/** tsx's ESM API (its package exports a CommonJS twin under `require`, which cannot load ESM TypeScript). */
function tsxEsmApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(join(dirname(cjs), 'index.mjs')).href;
}

/**
 * The worker entry is TypeScript. A worker thread does not inherit the parent's loader (vitest's
 * or tsx's), and on Node 20 `execArgv: ['--import', 'tsx']` does not reach the thread's module
 * loader either; so the thread starts from a one-line script that imports the entry with tsx's
 * scoped tsImport.
 */
function workerFor(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const code = `import(${JSON.stringify(tsxEsmApi())}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}));`;
  return new Worker(code, { eval: true });
}

export function startNodeTrainer(): NodeTrainerHandle {
  const worker = workerFor(new URL('./node-trainer-worker.ts', import.meta.url));
  const trainer = Comlink.wrap<RemoteTrainer>(nodeEndpoint(worker));
  let closed = false;
  return {
    trainer,
    worker,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await trainer.dispose();
      } finally {
        trainer[Comlink.releaseProxy]();
        await worker.terminate();
      }
    },
  };
}
