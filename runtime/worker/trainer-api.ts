// What the training worker serves over comlink. Where the backend and the data come from is the
// environment's business: trainer.worker.ts passes the browser's, and any other comlink endpoint
// (a Node worker thread, in the tests) can serve this same object with its own.
// Events reach the page through one proxied callback; sample arrays travel as transferables, so a
// batch of images costs no copy on the way to the page.
import * as Comlink from 'comlink';
import { DEFAULT_BUDGET } from '../compiler/memory';
import { Trainer } from '../train/trainer';
import { DEFAULT_QUALITY_CLOCK } from '../train/live-quality';
import { datasetFromImages, datasetFromText } from '../data/uploads';
import type { AssetReader } from '../data/assets';
import type { BackendPreference, BrowserBackendInfo } from '../backend/select-browser';
import type { GraphDocument } from '../graph/document';
import type { Diagnostic } from '../graph/diagnostics';
import type { NetworkSummary, SampleBatch, TrainerEvent } from '../train/events';
import type { WeightsBundle } from '../train/weights';
import type { QualityReading } from '../metrics/quality';
import { bundleOf, type Checkpoint } from '../train/checkpoint';
import type { NodeMapping, TransferReport } from '../train/transfer';
import { decisionSurface } from './decision-surface';
import { rewardSurface } from '../feedback/reward-surface';
import { latentView } from './latent-view';
import { SAMPLE_COUNT, type AttentionView, type DecisionSurface, type DenoisingFrames, type LatentView, type RemoteSampleRequest, type TextVocabulary } from './protocol';
import { attentionView, denoisingFrames, vocabularyOf } from './inspect';
import { parsePreferences, type PreferenceSample } from '../../nodes/feedback/preferences';
import type { TrainingStage } from '../../nodes/types';

export type EventSink = (event: TrainerEvent) => void;

export interface WorkerEnvironment {
  /** Starts the tfjs backend to train with. */
  initBackend(pref: BackendPreference): Promise<BrowserBackendInfo>;
  /** Reads the built-in datasets. */
  reader: AssetReader;
  /** Bytes a graph may need to train; defaults to the browser's budget. */
  memoryBudget?: number;
}

/** The buffers of a batch that may be transferred; the batch must own them (no shared views). */
function ownBuffers(batch: SampleBatch): ArrayBuffer[] {
  if (batch.kind === 'points') return [batch.data.buffer as ArrayBuffer, batch.real.buffer as ArrayBuffer];
  if (batch.kind === 'images') return [batch.data.buffer as ArrayBuffer];
  return [];
}

/** A batch whose arrays the worker no longer needs: the trainer keeps its real points, so they go as a copy. */
function detachable(batch: SampleBatch): { batch: SampleBatch; buffers: ArrayBuffer[] } {
  const own = batch.kind === 'points' ? { ...batch, real: batch.real.slice() } : batch;
  return { batch: own, buffers: ownBuffers(own) };
}

export function createTrainerApi(env: WorkerEnvironment) {
  let trainer: Trainer | null = null;
  let sink: EventSink | null = null;

  function send(event: TrainerEvent): void {
    if (!sink) return;
    if (event.type === 'samples' || event.type === 'sample-stream') {
      const { batch, buffers } = detachable(event.batch);
      void sink(Comlink.transfer({ ...event, batch }, buffers));
    } else {
      void sink(event);
    }
  }

  function need(): Trainer {
    if (!trainer) throw new Error('the training worker has not started: call init first');
    return trainer;
  }

  return {
    async init(pref: BackendPreference, onEvent: EventSink): Promise<BrowserBackendInfo> {
      sink = onEvent;
      const info = await env.initBackend(pref);
      trainer = new Trainer({
        reader: env.reader,
        backend: info.name,
        sampleCount: SAMPLE_COUNT,
        memoryBudget: env.memoryBudget ?? DEFAULT_BUDGET.browser,
        liveQuality: DEFAULT_QUALITY_CLOCK,
      });
      trainer.subscribe(send);
      return info;
    },

    /** A text the user uploaded, read by textDataset nodes whose corpus is 'upload' under this name. */
    setUserText(name: string, text: string, lines: boolean): void {
      need().userData.set(name, datasetFromText(text, { lines }));
    },

    /**
     * Images the user uploaded (count × size × size × channels bytes), read by dataset nodes whose
     * dataset is 'upload'; a labelled upload also gives each image's class id and how many classes there are.
     */
    setUserImages(name: string, pixels: Uint8Array, count: number, size: number, channels: number, labels?: Uint8Array, classes?: number): void {
      need().userData.set(name, datasetFromImages(pixels, count, size, size, channels, labels, classes));
    },

    /**
     * Preference pairs rated in the app or imported (genloom-preferences JSON), read by preferences
     * nodes whose rater is 'you' under this name; checked here. Returns how many pairs it holds.
     */
    setPreferences(name: string, json: unknown): number {
      const set = parsePreferences(json);
      need().setPreferences(name, set);
      return set.pairs.length;
    },

    /** Which objectives train: 'base', 'reward' (the reward model) or 'policy' (the fine-tune). */
    setStage(stage: TrainingStage): TrainingStage[] {
      const t = need();
      t.setStage(stage);
      return t.stages;
    },

    /** Makes the current weights the frozen reference a fine-tune is anchored to. */
    syncReferences(): void {
      need().syncReferences();
    },

    /** The graph's score of each sample as the chosen one of preferences node `nodeId` (a reward), or null. */
    preferenceScores(nodeId: string, samples: PreferenceSample[]): Float32Array | null {
      return need().preferenceScores(nodeId, samples)?.score ?? null;
    },

    load(doc: GraphDocument): Promise<{ ok: boolean; diagnostics: Diagnostic[]; networks: NetworkSummary[] }> {
      return need().load(doc);
    },

    /** Takes the loaded graph with other sampling settings, keeping the trained model and its run (pause first). */
    carryOver(doc: GraphDocument): Promise<{ ok: boolean; diagnostics: Diagnostic[]; quality?: QualityReading }> {
      return need().carryOver(doc);
    },

    /** Resolves when training stops (done, paused or failed); pause() gets through between steps. */
    train(maxSteps?: number): Promise<void> {
      return need().train(maxSteps);
    },

    pause(): void {
      trainer?.pause();
    },

    /** After a divergence: multiplies the learning rates by `factor` and restarts the optimizers. */
    scaleLearningRate(factor: number): Record<string, number> {
      return need().scaleLearningRate(factor);
    },

    /** Runs n steps; the trainer reports them with one progress event. */
    async step(n: number): Promise<void> {
      await need().step(n);
    },

    evaluate(): Record<string, number> {
      return need().evaluate();
    },

    /** The batch arrives as `sample-stream` events with this id: text token by token, then `done`. */
    async sample(req: RemoteSampleRequest, streamId: number): Promise<void> {
      const t = need();
      const texts: string[] = [];
      const step = t.status.step;
      const { batch } = await t.sample({
        ...req,
        onText: (i, text) => {
          texts[i] = text;
          send({ type: 'sample-stream', id: streamId, step, batch: { kind: 'text', texts: [...texts] }, done: false });
        },
      });
      send({ type: 'sample-stream', id: streamId, step, batch, done: true });
    },

    /** One batch handed back to the caller instead of broadcast: samples for a person to compare. */
    async sampleBatch(req: RemoteSampleRequest): Promise<SampleBatch> {
      const { batch } = await need().sample(req);
      const own = detachable(batch);
      return Comlink.transfer(own.batch, own.buffers);
    },

    exportWeights(): Promise<WeightsBundle> {
      return need().exportWeights();
    },

    async importWeights(bundle: WeightsBundle): Promise<number> {
      const t = need();
      await t.importWeights(bundle);
      return t.status.step;
    },

    /** Everything needed to go on exactly from here (weights, optimizer state, data position, step). */
    checkpoint(): Promise<Checkpoint> {
      return need().checkpoint();
    },

    /** Continues from a checkpoint of the loaded graph; returns the step it resumes at. */
    async resume(ck: Checkpoint): Promise<number> {
      const t = need();
      await t.resume(ck);
      return t.status.step;
    },

    /** Automatic checkpoints every `steps` training steps, sent as 'checkpoint' events (0: none). */
    setCheckpointEvery(steps: number): void {
      need().setCheckpointEvery(steps);
    },

    /**
     * Fine-tuning: loads what fits of a checkpoint of any graph into the loaded one, by node id or as
     * `mapping` says (a vocabulary carried across by character); the run's step starts again at 0.
     */
    transfer(ck: Checkpoint, mapping: NodeMapping = {}): TransferReport {
      return need().transferWeights(bundleOf(ck), ck.id, mapping);
    },

    /** The language model's characters, or null when the graph is no language model. */
    vocabulary(): Promise<TextVocabulary | null> {
      return vocabularyOf(need(), env.reader);
    },

    /** Attention weights of every layer for `text`, as the model reads it; the arrays are transferred. */
    async attention(text: string): Promise<AttentionView> {
      const view = await attentionView(need(), text, env.reader);
      return Comlink.transfer(view, [...view.maps.map((m) => m.weights.buffer as ArrayBuffer), view.next.probs.buffer as ArrayBuffer]);
    },

    /** A few evenly spaced frames of one reverse diffusion run, from the starting noise to the sample. */
    async denoising(count: number, seed: number, frames: number): Promise<DenoisingFrames> {
      const run = await denoisingFrames(need(), count, seed, frames);
      return Comlink.transfer(run, run.frames.flatMap((f) => ownBuffers(f.batch)));
    },

    /** A 2-D GAN's discriminator score on an n×n grid over [lo, hi]², and its gradient at `points`. */
    surface(frame: { lo: number; hi: number }, n: number, points: Float32Array): DecisionSurface {
      const t = need();
      if (!t.compiled) throw new Error('no model is loaded: train or step it first');
      const s = decisionSurface(t.compiled, t.status.step, frame, n, points);
      return Comlink.transfer(s, [s.scores.buffer as ArrayBuffer, s.points.buffer as ArrayBuffer, s.gradients.buffer as ArrayBuffer]);
    },

    /** For 2-D points: the reward preferences node `nodeId`'s reward model gives an n×n grid over [lo, hi]². */
    rewardSurface(nodeId: string, frame: { lo: number; hi: number }, n: number, points: Float32Array): DecisionSurface {
      const s = rewardSurface(need(), nodeId, frame, n, points);
      return Comlink.transfer(s, [s.scores.buffer as ArrayBuffer, s.points.buffer as ArrayBuffer, s.gradients.buffer as ArrayBuffer]);
    },

    /** A VAE's latent map (2-D latents) and an interpolation strip between two prior draws, with the current weights. */
    latent(n: number, range: number, strip: number, seed: number): LatentView {
      const t = need();
      if (!t.compiled) throw new Error('no model is loaded: train or step it first');
      const v = latentView(t.compiled, { n, range, strip, seed });
      return Comlink.transfer(v, [v.strip.data.buffer as ArrayBuffer, ...(v.map ? [v.map.data.buffer as ArrayBuffer] : [])]);
    },

    status(): { state: string; step: number; losses: Record<string, number> } {
      return need().status;
    },
  };
}

export type TrainerWorkerApi = ReturnType<typeof createTrainerApi>;
