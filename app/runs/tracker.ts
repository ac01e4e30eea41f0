// Follows the training store and keeps a record of each run: a run begins when a graph is compiled
// and trained, and ends at the next compile. Every checkpoint the worker hands over is kept in the
// browser under the run it came from; a run started from a stored checkpoint names it as its parent.
import { graphHash } from '../../runtime/train/graph-hash';
import { parseCheckpoint, type Checkpoint } from '../../runtime/train/checkpoint-file';
import type { NodeMapping, TransferReport } from '../../runtime/train/transfer';
import { store } from '../store/store';
import { ensureWorker, fineTuneFrom, onCheckpoint, resumeCheckpoint, training, type TrainingState } from '../training/trainingStore';
import { CheckpointShelf, type CheckpointInfo } from './checkpoints';
import { compactCurve, lastValues, RunShelf, type RunParent, type RunRecord } from './runs';
import { idbShelf } from './shelf';

export const checkpoints = new CheckpointShelf(idbShelf('genloom-checkpoints'));
export const runs = new RunShelf(idbShelf('genloom-runs'));

/** How often a running run's record is written. */
const SAVE_EVERY_MS = 5000;
const EVERY_KEY = 'genloom.checkpointEvery';
/** Automatic checkpoints every this many steps unless the user chose otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

let current: RunRecord | null = null;
/** The step the model stood at after its last compile (and resume), before the run's first step. */
let baseline = 0;
let parent: RunParent | null = null;
let savedAt = 0;
let started = false;
let appliedEvery: { worker: unknown; every: number } | null = null;

export function checkpointEvery(): number {
  try {
    const v = Number(localStorage.getItem(EVERY_KEY) ?? DEFAULT_CHECKPOINT_EVERY);
    return Number.isInteger(v) && v >= 0 ? v : DEFAULT_CHECKPOINT_EVERY;
  } catch {
    return DEFAULT_CHECKPOINT_EVERY;
  }
}

export function setCheckpointEvery(steps: number): void {
  try {
    localStorage.setItem(EVERY_KEY, String(steps));
  } catch {
    // Private windows may refuse storage; the choice still applies to this page.
  }
  appliedEvery = null;
  applyEvery(training.get());
}

/** The worker forgets the setting when it restarts, so it is sent to each new one. */
function applyEvery(s: TrainingState): void {
  if (s.worker !== 'ready') return;
  const every = checkpointEvery();
  void ensureWorker().then((w) => {
    if (!w || (appliedEvery?.worker === w && appliedEvery.every === every)) return;
    appliedEvery = { worker: w, every };
    return w.remote.setCheckpointEvery(every);
  });
}

/** The training state the current run last saw: a compile resets the store before the tracker hears of it. */
let lastSeen: TrainingState | null = null;

function persist(s: TrainingState = training.get()): void {
  if (!current) return;
  const { losses, heldOut } = lastValues(s.history);
  current = { ...current, step: s.step, updatedAt: Date.now(), finalLosses: losses, heldOut, curve: compactCurve(s.history) };
  savedAt = performance.now();
  void runs.save(current);
}

function begin(s: TrainingState): void {
  const doc = store.get().editor.doc;
  current = {
    id: `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
    name: `${doc.name} · ${new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`,
    graphName: doc.name,
    graphHash: graphHash(doc),
    startedAt: Date.now(),
    updatedAt: Date.now(),
    fromStep: parent?.how === 'resume' ? parent.step : Math.min(baseline, s.step),
    step: s.step,
    finalLosses: {},
    heldOut: {},
    parent,
    curve: { steps: [], series: [] },
  };
  parent = null;
  persist();
}

function onTraining(): void {
  const s = training.get();
  applyEvery(s);
  if (s.phase === 'compiling' || !s.loaded) {
    // A compile starts the next run; what the last one trained is written once more, from the state
    // it last had (the store already holds the new graph's empty one).
    if (current && lastSeen) persist(lastSeen);
    current = null;
    lastSeen = null;
    baseline = 0;
    return;
  }
  if (!current) {
    if (s.history.steps.length === 0) {
      baseline = s.step;
      return;
    }
    begin(s);
    lastSeen = s;
    return;
  }
  lastSeen = s;
  const settled = s.phase === 'paused' || s.phase === 'done' || s.phase === 'error';
  if (settled || performance.now() - savedAt > SAVE_EVERY_MS) persist(s);
}

function keep(ck: Checkpoint, auto: boolean): void {
  void checkpoints.keep(ck, { runId: current?.id ?? null, auto }).catch((err: unknown) => {
    // A full disk or a private window: the download (or the run) goes on without the stored copy.
    console.warn(`The checkpoint at step ${ck.step} could not be kept in this browser: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/** Starts following the training store; later calls do nothing. */
export function startTracking(): void {
  if (started) return;
  started = true;
  training.subscribe(onTraining);
  onCheckpoint(keep);
}

async function fileOf(info: CheckpointInfo): Promise<File> {
  const ck = await checkpoints.read(info.id);
  return new File([JSON.stringify(ck)], `${info.graphName} step ${info.step}.checkpoint.json`, { type: 'application/json' });
}

function parentOf(info: Pick<CheckpointInfo, 'id' | 'runId' | 'graphName' | 'step'>, how: RunParent['how']): RunParent {
  return { checkpoint: info.id, run: info.runId, graphName: info.graphName, step: info.step, how };
}

/**
 * Runs `load` (a resume or a fine-tune) as the start of a new run whose parent is `from`. The parent
 * is set first: the worker reports the loaded step before it answers.
 */
async function startFrom<T>(from: RunParent, load: () => Promise<T>): Promise<T> {
  if (current) persist();
  current = null;
  parent = from;
  const out = await load();
  if (training.get().message) parent = null;
  return out;
}

/** Continues exactly from a stored checkpoint of the graph on the canvas. */
export async function resumeStored(info: CheckpointInfo): Promise<void> {
  const file = await fileOf(info);
  return startFrom(parentOf(info, 'resume'), () => resumeCheckpoint(store.get().editor.doc, file));
}

/**
 * Starts the graph on the canvas from what fits of a stored checkpoint of any graph, by node id or as
 * `mapping` says; returns what was loaded, skipped and refused (null when it failed).
 */
export async function fineTuneStored(info: CheckpointInfo, mapping: NodeMapping = {}): Promise<TransferReport | null> {
  const file = await fileOf(info);
  return startFrom(parentOf(info, 'fine-tune'), () => fineTuneFrom(store.get().editor.doc, file, mapping));
}

/**
 * Keeps a checkpoint file (downloaded earlier, or from the CLI) in this browser, so that it is listed,
 * and a run started from it names it as its parent; a damaged file is refused with the reason.
 */
export async function addCheckpointFile(file: File): Promise<CheckpointInfo> {
  const ck = parseCheckpoint(await file.text());
  const known = (await checkpoints.list()).find((c) => c.id === ck.id);
  return known ?? checkpoints.keep(ck, { runId: null, auto: false });
}

/** Resumes from a checkpoint file of the graph on the canvas; the run names the file's checkpoint as its parent. */
export async function resumeFile(file: File): Promise<void> {
  let info: CheckpointInfo;
  try {
    info = await addCheckpointFile(file);
  } catch {
    // The resume itself says what is wrong with the file, in the panel.
    return resumeCheckpoint(store.get().editor.doc, file);
  }
  return startFrom(parentOf(info, 'resume'), () => resumeCheckpoint(store.get().editor.doc, file));
}
