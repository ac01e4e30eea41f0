// A Node worker_threads entry exposing the trainer with comlink, for servers and tests that want
// training off the main thread. Start it with startNodeTrainer() (node-trainer-client.ts).
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../backend/select-node';
import { nodeAssets } from '../data/assets-node';
import { createRemoteTrainer } from './node-trainer-api';

if (!parentPort) throw new Error('node-trainer-worker.ts runs as a worker thread: start it with startNodeTrainer()');

// tfjs greets Node users on the console; in a worker that is noise in the host's output.
tf.env().set('PROD', true);

Comlink.expose(
  createRemoteTrainer(nodeAssets, async (name) => (await initNodeBackend(name)).name),
  nodeEndpoint(parentPort),
);
