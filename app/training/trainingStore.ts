// The training side of the app: one worker, its backend, and what it last reported, as an external
// store that React reads with useTraining(). Commands are plain functions taking the current graph.
import { textsFor } from '../uploads/textUploads';
import { imagesFor } from '../uploads/imageUploads';
import { pairsFor } from '../feedback/pairStore';
import { feedbackTarget } from '../feedback/target';
import { useSyncExternalStore } from 'react';
import type { BackendPreference, BrowserBackendInfo } from '../../runtime/backend/select-browser';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import type { GraphDocument } from '../../runtime/graph/document';
import type { NetworkSummary, SampleBatch, TrainerEvent, TrainerState } from '../../runtime/train/events';
import type { Divergence } from '../../runtime/train/guard';
import type { QualityInfo } from '../../runtime/train/live-quality';
import type { WeightsBundle } from '../../runtime/train/weights';
import type { NodeMapping, TransferReport } from '../../runtime/train/transfer';
import { checkpointDue, isFatalWorkerError } from './recovery';
import type { SamplingFeature } from '../../nodes/sampling';
import { startTrainerWorker, type RemoteSampleRequest, type TrainerWorker } from '../../runtime/worker/client';
import type { AttentionView, DecisionSurface, DenoisingFrames, LatentView, TextVocabulary } from '../../runtime/worker/protocol';
import { fileNameFor } from '../files/exportFile';
import { parseCheckpoint, type Checkpoint } from '../../runtime/train/checkpoint-file';
import { appendRow, emptyHistory, EVAL_PREFIX, truncateAfter, type LossHistory } from './history';
import { modelSignature, samplingSignature } from './signature';
import { downloadText, weightsFromText, weightsToText } from './weightsFile';

export type Phase = TrainerState | 'compiling';

export interface TrainingState {
  pref: BackendPreference;
  backend: BrowserBackendInfo | null;
  worker: 'off' | 'starting' | 'ready' | 'failed';
  phase: Phase;
  /** The model signature of the graph the worker has compiled. */
  loaded: string | null;
  /** The sampling settings (samplingSignature) the loaded model samples with. */
  sampling: string | null;
  step: number;
  totalSteps: number;
  /** Where the run's discriminator calibration begins, as the worker reports it (0: none). */
  calibrationFrom: number;
  /** A conditional model's classes (0: not conditional). */
  sampleClasses: number;
  /** The class the sample grid shows, or null for one row per class. */
  sampleClass: number | null;
  stepsPerSecond: number;
  objectives: string[];
  sampleKind: SampleBatch['kind'] | 'none';
  /** What the loaded graph's sampler offers beyond samples (denoising frames, …). */
  sampleFeatures: SamplingFeature[];
  networks: NetworkSummary[];
  history: LossHistory;
  /** What the live quality figures are measured against (the real data's), or null when the graph has none. */
  quality: QualityInfo | null;
  /** The quality figures over steps, one series per figure. */
  qualityHistory: LossHistory;
  /** How the last measured samples spread over the classes or modes. */
  balance: { step: number; shares: number[] } | null;
  samples: { step: number; batch: SampleBatch } | null;
  /** Streamed text samples, each continuing `prompt`. */
  text: { id: number; step: number; prompt: string; texts: string[]; done: boolean } | null;
  message: string | null;
  diagnostics: Diagnostic[];
  /** The signature the user chose to keep training through, so the banner stays away until the next edit. */
  keepTraining: string | null;
  /** A language model's characters, to fit a prompt to them; null for other models. */
  vocab: TextVocabulary | null;
  /** What the worker is busy with when nothing else shows it (compiling, the first step's warm-up), or null. */
  activity: string | null;
  /** A short confirmation of the last command that changed the model (imported weights). */
  notice: string | null;
  /** Set when the divergence guard paused training: the weights are those of `step`. */
  divergence: Divergence | null;
  /** What the learning rates were multiplied by since the graph was compiled (after divergences). */
  rateScale: number;
  /** Set when the worker died; the graph is kept, a new worker starts, `checkpoint` may restore weights. */
  crash: { message: string; checkpointStep: number | null } | null;
}

const PREF_KEY = 'genloom.backend';
const PREFS: BackendPreference[] = ['auto', 'wasm', 'webgl', 'webgpu', 'cpu'];

function savedPref(): BackendPreference {
  try {
    const p = localStorage.getItem(PREF_KEY) as BackendPreference | null;
    return p && PREFS.includes(p) ? p : 'auto';
  } catch {
    return 'auto';
  }
}

const fresh = (): Omit<TrainingState, 'pref' | 'backend' | 'worker'> => ({
  phase: 'empty', loaded: null, sampling: null, step: 0, totalSteps: 0, calibrationFrom: 0, sampleClasses: 0, sampleClass: null, stepsPerSecond: 0, objectives: [], sampleKind: 'none', sampleFeatures: [], networks: [],
  history: emptyHistory(), quality: null, qualityHistory: emptyHistory(), balance: null, samples: null, text: null, message: null, diagnostics: [], keepTraining: null, vocab: null,
  activity: null, notice: null,
  divergence: null, crash: null, rateScale: 1,
});

/** The last weights read back from the worker while it was healthy, for a restart after a crash. */
let checkpoint: { signature: string; bundle: WeightsBundle } | null = null;
let lastCheckpointAt = 0;

let state: TrainingState = { pref: savedPref(), backend: null, worker: 'off', ...fresh() };
const listeners = new Set<() => void>();
let worker: TrainerWorker | null = null;
let starting: Promise<TrainerWorker | null> | null = null;
/** Bumped per worker, so events from a terminated one are ignored. */
let generation = 0;
let streamId = 0;
/** The running train() call, awaited before a recompile. */
let running: Promise<void> | null = null;
/** Set while a replaced graph's model is stopped: its last events arrive late and must not show. */
let muted = false;
/** Wall-clock sampling while training: when the last batch was asked for, and how long it took. */
const live = { askedAt: 0, tookMs: 0, busy: false };
/** Samples at least this often while training, and at most a quarter of the time. */
const SAMPLE_INTERVAL_MS = 1500;

function set(patch: Partial<TrainingState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const training = {
  get: (): TrainingState => state,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export function useTraining<T>(select: (s: TrainingState) => T): T {
  return useSyncExternalStore(training.subscribe, () => select(state));
}

function onEvent(gen: number, e: TrainerEvent): void {
  if (gen !== generation || muted) return;
  switch (e.type) {
    case 'compiled':
      return set({ objectives: e.objectives, sampleKind: e.sampleKind, sampleFeatures: e.sampleFeatures, networks: e.networks, quality: e.quality, calibrationFrom: e.calibrationFrom ?? 0, sampleClasses: e.classes ?? 0 });
    case 'progress':
      if (checkpointDue(lastCheckpointAt, performance.now())) void saveCheckpoint();
      set({
        step: e.step, totalSteps: e.totalSteps, stepsPerSecond: e.stepsPerSecond, history: appendRow(state.history, e.step, e.losses),
        activity: e.step > 0 && state.activity?.startsWith('First step') ? null : state.activity,
        ...(e.quality ? { qualityHistory: appendRow(state.qualityHistory, e.step, e.quality.figures), balance: { step: e.step, shares: e.quality.balance } } : {}),
      });
      return sampleOnSchedule();
    case 'eval':
      return set({ history: appendRow(state.history, e.step, e.losses, EVAL_PREFIX) });
    case 'samples':
      return set({ samples: { step: e.step, batch: e.batch } });
    case 'sample-stream':
      if (e.batch.kind === 'text') return set({ text: { id: e.id, step: e.step, prompt: state.text?.prompt ?? '', texts: e.batch.texts, done: e.done } });
      if (e.done) set({ samples: { step: e.step, batch: e.batch } });
      return;
    case 'state':
      if (e.state === 'paused' || e.state === 'done') void saveCheckpoint();
      // 'ready' can arrive after the first step's warm-up note was put up (events and replies travel apart): keep it.
      if (e.state === 'running') return set({ phase: e.state, notice: null });
      return set({ phase: e.state, ...(e.state === 'ready' ? {} : { activity: null }) });
    case 'checkpoint':
      for (const sink of checkpointSinks) sink(e.checkpoint, true);
      return;
    case 'error':
      if (e.divergence) void saveCheckpoint();
      return set({ message: e.message, diagnostics: e.diagnostics, divergence: e.divergence ?? null });
  }
}

/** Told of every checkpoint the worker hands over: saved by the user, or taken every N steps (`auto`). */
const checkpointSinks = new Set<(ck: Checkpoint, auto: boolean) => void>();

export function onCheckpoint(sink: (ck: Checkpoint, auto: boolean) => void): () => void {
  checkpointSinks.add(sink);
  return () => checkpointSinks.delete(sink);
}

/** Starts the worker once; later calls share the same start. */
export function ensureWorker(): Promise<TrainerWorker | null> {
  if (worker) return Promise.resolve(worker);
  if (starting) return starting;
  const gen = ++generation;
  set({ worker: 'starting', backend: null });
  starting = startTrainerWorker(state.pref, (e) => onEvent(gen, e), (message) => {
    if (gen === generation) onCrash(message);
  }).then(
    (w) => {
      if (gen !== generation) {
        w.terminate();
        return null;
      }
      worker = w;
      set({ worker: 'ready', backend: w.backend });
      return w;
    },
    (err: unknown) => {
      if (gen === generation) set({ worker: 'failed', message: err instanceof Error ? err.message : String(err) });
      return null;
    },
  ).finally(() => {
    if (gen === generation) starting = null;
  });
  return starting;
}

/** Another backend means another worker; the model trained so far is dropped. */
export function setBackendPreference(pref: BackendPreference): void {
  try {
    localStorage.setItem(PREF_KEY, pref);
  } catch {
    // Private windows may refuse storage; the choice still applies to this page.
  }
  worker?.terminate();
  worker = null;
  starting = null;
  running = null;
  set({ pref, ...fresh() });
  void ensureWorker();
}

/**
 * Asks for samples at step 1 and then about every SAMPLE_INTERVAL_MS of wall-clock time, not every
 * fixed number of steps, so a slow model shows progress as soon as a fast one. A model whose
 * sampling is slow (a diffusion U-Net) is sampled less often: never more than a quarter of the time.
 */
function sampleOnSchedule(): void {
  const w = worker;
  if (!w || live.busy || state.phase !== 'running' || state.step < 1) return;
  if (state.sampleKind !== 'images' && state.sampleKind !== 'points') return;
  const now = performance.now();
  const first = !state.samples || state.samples.step === 0;
  if (!first && now - live.askedAt < Math.max(SAMPLE_INTERVAL_MS, 3 * live.tookMs)) return;
  live.busy = true;
  live.askedAt = now;
  void sampleNow(w).finally(() => {
    live.tookMs = performance.now() - now;
    live.busy = false;
  });
}

async function load(doc: GraphDocument, opts: { sample: boolean } = { sample: true }): Promise<TrainerWorker | null> {
  set({ activity: worker ? 'Compiling the graph and loading its data…' : 'Starting the training worker…' });
  const w = await ensureWorker();
  if (!w) return null;
  muted = false;
  set({ ...fresh(), phase: 'compiling', totalSteps: doc.training.steps, activity: 'Compiling the graph and loading its data…' });
  live.askedAt = 0;
  live.tookMs = 0;
  try {
    for (const [name, t] of await textsFor(doc)) await w.remote.setUserText(name, t.text, t.lines);
    for (const [name, im] of await imagesFor(doc)) await w.remote.setUserImages(name, im.pixels, im.count, im.size, im.channels, im.labels, im.classes?.length);
    for (const [name, pairs] of await pairsFor(feedbackTarget(doc))) await w.remote.setPreferences(name, pairs);
  } catch (err) {
    set({ phase: 'error', diagnostics: [], message: err instanceof Error ? err.message : String(err) });
    return null;
  }
  const result = await w.remote.load(doc);
  if (!result.ok) {
    set({ phase: 'error', diagnostics: result.diagnostics.filter((d) => d.severity === 'error'), message: 'The graph does not compile' });
    return null;
  }
  set({ loaded: modelSignature(doc), sampling: samplingSignature(doc), message: null, diagnostics: [], activity: null });
  // Training samples at step 1 anyway; a step-0 batch first would only delay the first step.
  if (opts.sample && (state.sampleKind === 'images' || state.sampleKind === 'points')) void sampleNow(w);
  if (state.sampleKind === 'text') void w.remote.vocabulary().then((vocab) => set({ vocab }), () => set({ vocab: null }));
  return w;
}

/** The sample grid: one row per class of a conditional model, or all of the class the user picked. */
function gridRequest(): RemoteSampleRequest {
  const count = 100;
  const c = state.sampleClass;
  return c !== null && c < state.sampleClasses ? { count, seed: 12345, classes: new Array<number>(count).fill(c) } : { count, seed: 12345 };
}

function sampleNow(w: TrainerWorker, req: RemoteSampleRequest = gridRequest()): Promise<void> {
  return w.remote.sample(req, ++streamId).catch((err: unknown) => set({ message: `Sampling failed: ${err instanceof Error ? err.message : String(err)}` }));
}

function needsLoad(doc: GraphDocument): boolean {
  return state.loaded !== modelSignature(doc) || state.phase === 'error' || state.phase === 'empty';
}

/** Reads the weights back while the worker is healthy; a crash later restores them. */
async function saveCheckpoint(): Promise<void> {
  const w = worker;
  if (!w || !state.loaded) return;
  lastCheckpointAt = performance.now();
  const signature = state.loaded;
  try {
    checkpoint = { signature, bundle: await w.remote.exportWeights() };
  } catch {
    // A failed read keeps the previous checkpoint.
  }
}

/**
 * The worker died (out of memory, a WebAssembly abort): say so, keep the graph, start a new worker,
 * and offer the last checkpoint of this graph.
 */
function onCrash(message: string): void {
  worker?.terminate();
  worker = null;
  starting = null;
  running = null;
  const kept = checkpoint && checkpoint.signature === state.loaded ? checkpoint : null;
  set({ ...fresh(), crash: { message, checkpointStep: kept ? kept.bundle.step : null } });
  if (!kept) checkpoint = null;
  void ensureWorker();
}

/** After a crash: compiles the graph in the new worker and loads the last checkpoint into it. */
export async function restoreCheckpoint(doc: GraphDocument): Promise<void> {
  const saved = checkpoint;
  if (!saved || saved.signature !== modelSignature(doc)) return;
  const w = await load(doc);
  if (!w) return;
  try {
    const at = await w.remote.importWeights(saved.bundle);
    set({ step: at, phase: 'paused', crash: null });
  } catch (err) {
    set({ message: `Restoring the weights failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

export function dismissCrash(): void {
  set({ crash: null });
}

/** The answer to the divergence banner: resume with the learning rates multiplied by `factor`. */
export async function resumeWithLowerRate(factor = 0.1): Promise<void> {
  if (!worker || state.phase !== 'paused') return;
  await worker.remote.scaleLearningRate(factor);
  set({ divergence: null, message: null, rateScale: state.rateScale * factor });
  runTraining(worker);
}

function runTraining(w: TrainerWorker): void {
  if (state.step === 0) set({ activity: 'First step: building the kernels for this model (warm-up)…' });
  const run: Promise<void> = w.remote
    .train()
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (isFatalWorkerError(message)) onCrash(message);
      else set({ message, phase: 'error' });
    })
    .finally(() => {
      if (running === run) running = null;
    });
  running = run;
}

/** Trains the graph from the start, compiling it first when it changed or finished. */
export async function train(doc: GraphDocument): Promise<void> {
  if (state.phase === 'running' || state.phase === 'compiling') return;
  // Done with the configured steps: start over. Done with a shorter run (a round of learning from
  // feedback stops there): go on from the weights as they are.
  const finished = state.phase === 'done' && state.step >= doc.training.steps;
  const w = needsLoad(doc) || finished ? await load(doc, { sample: false }) : worker;
  if (w) runTraining(w);
}

export async function resume(): Promise<void> {
  if (!worker || state.phase !== 'paused') return;
  // A Step may still be finishing (its samples are on the way); start once the worker is idle.
  await running;
  if (state.phase !== 'paused') return;
  set({ divergence: null });
  runTraining(worker);
}

/** A whole new graph was opened: stop the old model's training and forget what it showed. */
export async function unload(): Promise<void> {
  const w = worker;
  muted = true;
  set({ ...fresh() });
  if (!w) return;
  await w.remote.pause();
  await running;
}

export async function pause(): Promise<void> {
  await worker?.remote.pause();
  await running;
}

export async function step(doc: GraphDocument, n = 1): Promise<void> {
  if (state.phase === 'running' || state.phase === 'compiling') return;
  const w = needsLoad(doc) ? await load(doc) : worker;
  if (!w) return;
  const stepping = w.remote.step(n);
  running = stepping;
  await stepping.finally(() => {
    if (running === stepping) running = null;
  });
  if (state.sampleKind === 'images' || state.sampleKind === 'points') void sampleNow(w);
}

/** A new sample batch from the loaded model as it is now (after training it outside the panel's controls). */
export async function refreshSamples(): Promise<void> {
  if (worker && state.loaded && (state.sampleKind === 'images' || state.sampleKind === 'points')) await sampleNow(worker);
}

/** Fresh weights for the current graph. */
export async function reset(doc: GraphDocument): Promise<void> {
  await pause();
  await load(doc);
}

/** The answer to the banner shown when the graph is edited while it trains: start over with the new graph. */
export async function stopAndRecompile(doc: GraphDocument): Promise<void> {
  await pause();
  const w = await load(doc);
  if (w) runTraining(w);
}

/** Set while a run is carried over; an edit meanwhile is taken up when the panel's phase returns. */
let carrying = false;
let refusedSampling: string | null = null;

/** Whether `doc` is the loaded model with other sampling settings (a guidance scale, truncated noise). */
export function samplingChanged(s: TrainingState, doc: GraphDocument): boolean {
  return s.loaded !== null && s.loaded === modelSignature(doc) && s.sampling !== samplingSignature(doc);
}

/**
 * Carries the trained model over to `doc` when only its sampling settings changed, and samples it
 * the new way: no training is lost. While training runs, the change waits for the next pause.
 */
export async function syncSampling(doc: GraphDocument): Promise<void> {
  const w = worker;
  if (!w || !samplingChanged(state, doc) || !['paused', 'done', 'ready'].includes(state.phase)) return;
  if (carrying) return;
  // Settings the graph refused once are not tried again until they change.
  if (refusedSampling === samplingSignature(doc)) return;
  carrying = true;
  const keep = { step: state.step, history: state.history, phase: state.phase };
  // 'compiling' holds the controls until the worker has the new graph (which sends no events meanwhile).
  set({ phase: 'compiling', activity: 'Resampling the trained model with the new settings…', message: null });
  try {
    const result = await w.remote.carryOver(doc);
    if (!result.ok) {
      refusedSampling = samplingSignature(doc);
      set({ phase: keep.phase, diagnostics: result.diagnostics.filter((d) => d.severity === 'error'), message: 'The graph does not compile', activity: null });
      return;
    }
    const q = result.quality;
    set({
      phase: keep.phase, sampling: samplingSignature(doc), activity: null, step: keep.step, history: keep.history,
      notice: `Resampled at step ${keep.step.toLocaleString('en-US')} with the new sampling settings; the trained model is unchanged.`,
      // The figures at this step are now those of the new settings: the old reading of it goes.
      ...(q ? { qualityHistory: appendRow(truncateAfter(state.qualityHistory, keep.step - 1), keep.step, q.figures), balance: { step: keep.step, shares: q.balance } } : {}),
    });
    if (state.sampleKind === 'images' || state.sampleKind === 'points') await sampleNow(w);
  } catch (err) {
    refusedSampling = samplingSignature(doc);
    set({ phase: keep.phase, activity: null, message: `Resampling failed: ${err instanceof Error ? err.message : String(err)}` });
  } finally {
    carrying = false;
  }
}

/** Shows samples of one class of a conditional model (null: one row per class), drawn at once when idle. */
export async function showClass(c: number | null): Promise<void> {
  set({ sampleClass: c });
  if (worker && state.loaded && state.phase !== 'running' && state.phase !== 'compiling' && state.sampleKind === 'images') await sampleNow(worker);
}

export function keepTraining(doc: GraphDocument): void {
  set({ keepTraining: modelSignature(doc) });
}

export async function generate(req: RemoteSampleRequest): Promise<void> {
  const w = worker;
  if (!w || !state.loaded) return;
  set({ text: { id: streamId + 1, step: state.step, prompt: req.prompt ?? '', texts: [], done: false }, message: null });
  await sampleNow(w, req);
  // A failed request sends no closing event; close the stream so the panel stops waiting.
  if (state.text && !state.text.done) set({ text: { ...state.text, done: true } });
}

/** The loaded model's attention weights while it reads `text`. */
export async function readAttention(text: string): Promise<AttentionView> {
  if (!worker || !state.loaded) throw new Error('no model is loaded: train or step it first');
  return worker.remote.attention(text);
}

/** For 2-D points: the reward preferences node `nodeId`'s reward model gives each cell of an n×n grid over [lo, hi]². */
export async function readRewardSurface(nodeId: string, frame: { lo: number; hi: number }, n: number, points: Float32Array): Promise<DecisionSurface> {
  if (!worker || !state.loaded) throw new Error('no model is loaded: train or step it first');
  return worker.remote.rewardSurface(nodeId, frame, n, points);
}

/** A 2-D GAN discriminator's scores on an n×n grid over [lo, hi]² and its gradients at `points`. */
export async function readSurface(frame: { lo: number; hi: number }, n: number, points: Float32Array): Promise<DecisionSurface> {
  if (!worker || !state.loaded) throw new Error('no model is loaded: train or step it first');
  return worker.remote.surface(frame, n, points);
}

/** A VAE's latent map and interpolation strip, decoded with the current weights. */
export async function readLatent(n: number, range: number, strip: number, seed: number): Promise<LatentView> {
  if (!worker || !state.loaded) throw new Error('no model is loaded: train or step it first');
  return worker.remote.latent(n, range, strip, seed);
}

/** One reverse diffusion run as a few frames from noise to sample. */
export async function readDenoising(count: number, frames: number): Promise<DenoisingFrames> {
  if (!worker || !state.loaded) throw new Error('no model is loaded: train or step it first');
  return worker.remote.denoising(count, 12345, frames);
}

export async function exportWeights(doc: GraphDocument): Promise<void> {
  if (!worker || !state.loaded) return;
  try {
    const bundle = await worker.remote.exportWeights();
    downloadText(weightsToText(bundle), fileNameFor(doc).replace(/\.json$/, '.weights.json'));
  } catch (err) {
    set({ message: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** Downloads a checkpoint of the run: a later session (or the CLI's --resume) goes on exactly from here. */
export async function downloadCheckpoint(doc: GraphDocument): Promise<void> {
  if (!worker || !state.loaded) return;
  if (state.phase === 'running') await pause();
  try {
    const ck = await worker.remote.checkpoint();
    downloadText(JSON.stringify(ck), fileNameFor(doc).replace(/\.json$/, `.step${ck.step}.checkpoint.json`));
    for (const sink of checkpointSinks) sink(ck, false);
    set({ notice: `Checkpoint saved at step ${ck.step.toLocaleString('en-US')}.` });
  } catch (err) {
    set({ message: `Checkpoint failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/**
 * Reads `file` into the loaded model (compiling the graph first if needed) with `apply`, which returns
 * the step the model is now at and what to tell the user; on any failure says `failed` and why.
 */
async function intoModel(
  doc: GraphDocument,
  file: File,
  failed: string,
  apply: (w: TrainerWorker, text: string) => Promise<{ at: number; notice: string }>,
): Promise<void> {
  if (state.phase === 'running') await pause();
  try {
    const text = await file.text();
    const w = needsLoad(doc) ? await load(doc) : worker;
    if (!w) return;
    const { at, notice } = await apply(w, text);
    set({ step: at, message: null, phase: 'paused', notice });
    // The curve trained so far stays; rows past the step the model is now at belong to a later model and go.
    if (state.history.steps.some((x) => x > at)) set({ history: truncateAfter(state.history, at) });
    if (state.qualityHistory.steps.some((x) => x > at)) set({ qualityHistory: truncateAfter(state.qualityHistory, at), balance: null });
    if (state.sampleKind === 'images' || state.sampleKind === 'points') void sampleNow(w);
  } catch (err) {
    set({ message: `${failed}: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** Resumes from a checkpoint file of this graph (compiling it first if needed). */
export function resumeCheckpoint(doc: GraphDocument, file: File): Promise<void> {
  return intoModel(doc, file, 'Resume failed', async (w, text) => {
    const at = await w.remote.resume(parseCheckpoint(text));
    return { at, notice: `Resumed from the checkpoint “${file.name}” at step ${at.toLocaleString('en-US')}. Resume continues training from there.` };
  });
}

/** Loads weights into the current graph (compiling it first if needed), to continue training from them. */
export function importWeights(doc: GraphDocument, file: File): Promise<void> {
  return intoModel(doc, file, 'Import failed', async (w, text) => {
    const at = await w.remote.importWeights(weightsFromText(text, file.name));
    return { at, notice: `Imported weights from “${file.name}” (trained ${at.toLocaleString('en-US')} steps). Resume continues from there.` };
  });
}

/**
 * Fine-tuning: loads what fits of a checkpoint of any graph into this one (compiling it first if
 * needed), matched by node id or as `mapping` says; says what was loaded, skipped and refused, and
 * returns that report (null when it failed, the reason in the panel's message).
 */
export async function fineTuneFrom(doc: GraphDocument, file: File, mapping: NodeMapping = {}): Promise<TransferReport | null> {
  let got: TransferReport | null = null;
  await intoModel(doc, file, 'Fine-tuning failed', async (w, text) => {
    const ck = parseCheckpoint(text);
    const report = await w.remote.transfer(ck, mapping);
    got = report;
    const left = [...report.skipped.map((x) => `${x.node} skipped (${x.reason})`), ...report.refused.map((x) => `${x.node} refused (${x.reason})`)];
    return {
      at: (await w.remote.status()).step,
      notice: `Fine-tuning from “${ck.graphName}” at step ${ck.step.toLocaleString('en-US')}: loaded ${report.loaded.join(', ') || 'nothing'}${left.length ? `; ${left.join('; ')}` : ''}. Train or Resume trains from there.`,
    };
  });
  return got;
}
