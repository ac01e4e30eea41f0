// The trainer as a comlink-friendly object: every argument and result is structured-cloneable,
// listeners arrive as comlink proxies, and sample data is transferred rather than copied.
import * as Comlink from 'comlink';
import type { Diagnostic } from '../graph/diagnostics';
import type { AssetReader } from '../data/assets';
import type { GraphDocument } from '../graph/document';
import type { NetworkSummary, SampleBatch, TrainerListener, TrainerState } from '../train/events';
import type { SampleRequest } from '../train/sample';
import { Trainer } from '../train/trainer';
import type { WeightsBundle } from '../train/weights';

/** A sample request without the streaming callback, which cannot cross threads. */
export type RemoteSampleRequest = Omit<SampleRequest, 'onText'>;

export interface TrainerStatus {
  state: TrainerState;
  step: number;
  losses: Record<string, number>;
}

export interface RemoteTrainer {
  /** Activates a tfjs backend in the worker; returns its name. */
  init(backend?: 'wasm' | 'cpu'): Promise<string>;
  /** Registers a listener (a Comlink.proxy); returns its id for unsubscribe. */
  subscribe(listener: TrainerListener): number;
  unsubscribe(id: number): void;
  load(doc: GraphDocument): Promise<{ ok: boolean; diagnostics: Diagnostic[]; networks: NetworkSummary[] }>;
  /** Resolves when training stops: done, paused, or failed. */
  train(maxSteps?: number): Promise<void>;
  pause(): void;
  step(n?: number): Promise<Record<string, number>>;
  evaluate(): Record<string, number>;
  status(): TrainerStatus;
  sample(req: RemoteSampleRequest): Promise<{ batch: SampleBatch; frames?: SampleBatch[] }>;
  exportWeights(): Promise<WeightsBundle>;
  importWeights(bundle: WeightsBundle): Promise<void>;
  dispose(): void;
}

function ownBuffers(b: SampleBatch): ArrayBuffer[] {
  // `real` is the trainer's own reference set, shared between batches: it must not be detached.
  return b.kind === 'text' ? [] : [b.data.buffer as ArrayBuffer];
}

export function createRemoteTrainer(reader: AssetReader, initBackend: (name: 'wasm' | 'cpu') => Promise<string>): RemoteTrainer {
  let backend: string | undefined;
  let trainer: Trainer | null = null;
  const subscriptions = new Map<number, () => void>();
  let nextId = 1;
  const get = () => (trainer ??= new Trainer({ reader, backend }));

  return {
    async init(name = 'wasm') {
      backend = await initBackend(name);
      return backend;
    },
    subscribe(listener) {
      const id = nextId++;
      // A proxied call returns a promise; a listener that went away must not crash the worker.
      const off = get().subscribe((e) => void Promise.resolve(listener(e)).catch(() => undefined));
      subscriptions.set(id, off);
      return id;
    },
    unsubscribe(id) {
      subscriptions.get(id)?.();
      subscriptions.delete(id);
    },
    load: (doc) => get().load(doc),
    train: (maxSteps) => get().train(maxSteps),
    pause: () => get().pause(),
    step: (n) => get().step(n),
    evaluate: () => get().evaluate(),
    status: () => get().status,
    async sample(req) {
      const out = await get().sample(req);
      const buffers = [out.batch, ...(out.frames ?? [])].flatMap(ownBuffers);
      return Comlink.transfer(out, buffers);
    },
    async exportWeights() {
      const bundle = await get().exportWeights();
      return Comlink.transfer(bundle, Object.values(bundle.networks).map((n) => n.weightData));
    },
    importWeights: (bundle) => get().importWeights(bundle),
    dispose() {
      subscriptions.clear();
      trainer?.dispose();
      trainer = null;
    },
  };
}
