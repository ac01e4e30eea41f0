// A Node worker thread serving the trainer API that the browser's worker serves
// (runtime/worker/trainer-api.ts), over comlink's Node adapter, with Node's backend and assets.
// Start it with startTrainerThread() (trainer-thread.ts).
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { createTrainerApi } from '../../runtime/worker/trainer-api';

if (!parentPort) throw new Error('thread-entry.ts runs as a worker thread: start it with startTrainerThread()');

// tfjs greets Node users on the console; in a worker that is noise in the host's output.
tf.env().set('PROD', true);

const api = createTrainerApi({
  async initBackend(pref) {
    if (pref !== 'auto' && pref !== 'wasm' && pref !== 'cpu') throw new Error(`backend '${pref}' does not run in Node: expected wasm or cpu`);
    const info = await initNodeBackend(pref === 'cpu' ? 'cpu' : 'wasm');
    return { name: info.name, threads: info.threads, reason: `${info.name} in a Node worker thread` };
  },
  reader: nodeAssets,
});

Comlink.expose(api, nodeEndpoint(parentPort));
