// The Feedback view's state and commands: samples drawn from the loaded model for rating, the groups
// still to rate (least sure first when the graph has a reward model), and the graph's preference pairs.
// An external store read with useFeedback(), like the training store; commands are plain functions.
import { useSyncExternalStore } from 'react';
import { HUMAN_RATER } from '../../nodes/feedback/preference-data';
import { pairFromChoice, pairsFromBest, type PreferencePair, type PreferenceSet } from '../../nodes/feedback/preferences';
import type { GraphDocument } from '../../runtime/graph/document';
import { setParams } from '../store/edits';
import { store } from '../store/store';
import { downloadText } from '../training/weightsFile';
import { fileNameFor } from '../files/exportFile';
import { ensureWorker, pause, refreshSamples, training } from '../training/trainingStore';
import { candidatesOf, type Candidates } from './candidates';
import { exportPairs, importPairs, loadPairs, savePairs, withoutPair, withPairs } from './pairStore';
import { defaultPairsName, feedbackTarget, type FeedbackTarget } from './target';
import { groupsLeastSureFirst } from './uncertainty';

/** Pick the best of four, or compare two with a tie allowed. */
export type RateMode = 'best' | 'ab';

export const GROUP_SIZE: Record<RateMode, number> = { best: 4, ab: 2 };

/** Samples drawn at once: enough groups for the reward model to choose the least sure among. */
const POOL_GROUPS = 8;
/** Of those, the groups asked about before drawing afresh from the model, which training keeps changing. */
const ASK_GROUPS = 4;

export interface FeedbackState {
  mode: RateMode;
  /** The samples drawn for rating; `queue` holds the groups still to rate, as indices into it. */
  pool: Candidates | null;
  queue: number[][];
  /** The model (its signature) the pool was drawn from: another model's samples are not shown. */
  drawnFor: string | null;
  /** The reward model ordered the queue (least sure first); false: drawn order. */
  ordered: boolean;
  /** What the view is waiting for, or null. */
  busy: string | null;
  /** The graph's preference set and the name it is kept under. */
  pairs: PreferenceSet | null;
  name: string;
  message: { text: string; error: boolean } | null;
  /** Choices made (skips aside) since the view opened. */
  rated: number;
  /** The model (its signature) whose reward model has been fitted to pairs here, so its scores mean something. */
  fittedFor: string | null;
}

let state: FeedbackState = { mode: 'best', pool: null, queue: [], drawnFor: null, ordered: false, busy: null, pairs: null, name: '', message: null, rated: 0, fittedFor: null };
const listeners = new Set<() => void>();
let drawSeed = 1;

function set(patch: Partial<FeedbackState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const feedback = {
  get: (): FeedbackState => state,
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export function useFeedback<T>(select: (s: FeedbackState) => T): T {
  return useSyncExternalStore(feedback.subscribe, () => select(state));
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads the graph's pairs from the browser (an empty set when it has none yet). */
export async function openPairs(doc: GraphDocument): Promise<void> {
  const target = feedbackTarget(doc);
  // Another graph: its samples and its reward model are not this one's.
  set({ pool: null, queue: [], drawnFor: null, fittedFor: null, rated: 0 });
  if (!target) return set({ pairs: null, name: '' });
  const name = target.name || defaultPairsName(doc);
  try {
    // A node rated by you reads a named set; naming it now lets the graph compile and train before the first rating.
    if (!target.name) nameSet(target, name);
    set({ pairs: await loadPairs(name, target.kind, target.shape), name, message: null });
  } catch (err) {
    set({ pairs: null, name, message: { text: `preferences "${target.nodeId}": ${errorText(err)}`, error: true } });
  }
}

/** Draws fresh samples from the loaded model and queues the groups to rate. */
export async function drawCandidates(): Promise<void> {
  if (state.busy) return;
  if (!training.get().loaded) return set({ message: { text: 'Train or step the model first: the Feedback view rates what the current model makes.', error: false } });
  const w = await ensureWorker();
  if (!w) return;
  const size = GROUP_SIZE[state.mode];
  // A note (what the last round did) stays while the next samples come; an error does not.
  set({ busy: 'Drawing samples from the model…', message: state.message?.error ? null : state.message });
  try {
    const text = training.get().sampleKind === 'text';
    const batch = await w.remote.sampleBatch({ count: size * POOL_GROUPS, seed: 1000 + drawSeed++, ...(text ? { prompt: '', maxTokens: 24, temperature: 1 } : {}) });
    const pool = candidatesOf(batch);
    const drawnFor = training.get().loaded;
    // Only a reward model fitted to pairs here says anything about which samples it tells apart.
    const target = feedbackTarget(store.get().editor.doc);
    const rewards = target && state.fittedFor !== null && state.fittedFor === drawnFor ? await w.remote.preferenceScores(target.nodeId, pool.items) : null;
    const groups = groupsLeastSureFirst(pool.items.length, size, rewards ?? undefined);
    set({ pool, drawnFor, queue: rewards ? groups.slice(0, ASK_GROUPS) : groups, ordered: rewards !== null, busy: null });
  } catch (err) {
    set({ busy: null, message: { text: `Drawing samples failed: ${errorText(err)}`, error: true } });
  }
}

export function setMode(mode: RateMode): void {
  if (mode === state.mode) return;
  set({ mode, pool: null, queue: [] });
  void drawCandidates();
}

/** Records the set's name on the node, as an upload records its name; the name then stays. */
function nameSet(target: FeedbackTarget, name: string): void {
  const { state: next, error } = setParams(store.get().editor, target.nodeId, { [target.nameParam]: name });
  if (error) throw new Error(error);
  store.set((s) => ({ ...s, editor: next }));
}

/** Hands the pairs to the loaded model's preferences node, so the next steps train on them. */
async function handOver(target: FeedbackTarget, name: string, pairs: PreferenceSet): Promise<void> {
  if (target.name !== name) nameSet(target, name);
  if (!training.get().loaded) return;
  const w = await ensureWorker();
  await w?.remote.setPreferences(name, pairs);
}

async function keep(next: PreferenceSet, patch: Partial<FeedbackState> = {}): Promise<boolean> {
  // The graph as it is now: the first pairs may have just named the set on its node.
  const target = feedbackTarget(store.get().editor.doc);
  if (!target) {
    set({ message: { text: 'This graph has no preferences node rated by you: add one (rater “you”) to keep pairs.', error: true } });
    return false;
  }
  try {
    await savePairs(state.name, next);
    set({ pairs: next, ...patch });
    await handOver(target, state.name, next);
    return true;
  } catch (err) {
    set({ message: { text: `Keeping the pairs failed: ${errorText(err)}`, error: true } });
    return false;
  }
}

function nextGroup(): void {
  const queue = state.queue.slice(1);
  set({ queue });
  if (queue.length === 0) void drawCandidates();
}

/** The current group, as samples. */
export function currentGroup(s: FeedbackState = state): Candidates | null {
  const g = s.queue[0];
  if (!s.pool || !g || s.drawnFor !== training.get().loaded) return null;
  return { ...s.pool, items: g.map((i) => s.pool!.items[i]) };
}

/** Best of four: `choice` is the index of the best; A vs B: 0 (A), 1 (B) or 'tie'. */
export async function choose(choice: number | 'tie'): Promise<void> {
  const group = currentGroup();
  if (!group || !state.pairs || state.busy) return;
  const at = new Date().toISOString();
  let added: PreferencePair[];
  if (state.mode === 'ab') {
    const [a, b] = group.items;
    added = [pairFromChoice(a, b, choice === 'tie' ? 'tie' : choice === 1 ? 'b' : 'a', HUMAN_RATER, at)];
  } else {
    if (choice === 'tie' || choice < 0 || choice >= group.items.length) return;
    added = pairsFromBest(group.items, choice, HUMAN_RATER, at);
  }
  if (await keep(withPairs(state.pairs, added), { rated: state.rated + 1, message: null })) nextGroup();
}

export function skip(): void {
  if (state.queue.length > 0 && !state.busy) nextGroup();
}

export async function removePair(index: number): Promise<void> {
  if (state.pairs) await keep(withoutPair(state.pairs, index));
}

/** Adds the pairs of a preference file; a file that does not parse is refused with the reason, nothing lost. */
export async function importFile(file: File): Promise<void> {
  if (!state.pairs) return;
  let next: PreferenceSet;
  try {
    next = importPairs(state.pairs, await file.text(), file.name);
  } catch (err) {
    return set({ message: { text: `Import refused: ${errorText(err)}`, error: true } });
  }
  const added = next.pairs.length - state.pairs.pairs.length;
  if (await keep(next)) set({ message: { text: `Imported ${added} pair${added === 1 ? '' : 's'} from “${file.name}”.`, error: false } });
}

export function exportFile(): void {
  if (state.pairs) downloadText(exportPairs(state.pairs), fileNameFor(store.get().editor.doc).replace(/\.json$/, '.preferences.json'));
}

/** Fewer pairs than this leave the reward model nothing to hold out and little to learn. */
export const MIN_PAIRS = 6;

/**
 * One round of learning from the pairs: the reward model's steps, then the fine-tune's (the counts the
 * preferences node sets), then fresh samples to rate, least sure first. Pausing stops the round.
 */
export async function learnFromPairs(): Promise<void> {
  const target = feedbackTarget(store.get().editor.doc);
  const loaded = training.get().loaded;
  if (!target || !state.pairs || state.busy || !loaded) return;
  if (state.pairs.pairs.length < MIN_PAIRS) return set({ message: { text: `Rate a little more first: ${MIN_PAIRS} pairs at least (best of four gives three a choice).`, error: false } });
  const w = await ensureWorker();
  if (!w) return;
  await pause();
  try {
    await w.remote.setPreferences(state.name, state.pairs);
    // The first round on this model anchors the fine-tune to the model as it is now, where the feedback starts.
    if (state.fittedFor !== loaded) await w.remote.syncReferences();
    const stages = [
      { stage: 'reward', steps: target.rewardSteps, what: `Fitting the reward model to ${state.pairs.pairs.length} pairs…` },
      { stage: 'policy', steps: target.tuneSteps, what: 'Fine-tuning the model toward the reward…' },
    ] as const;
    for (const { stage, steps, what } of stages) {
      if (steps === 0) continue;
      set({ busy: what, message: null });
      await w.remote.setStage(stage);
      const from = (await w.remote.status()).step;
      await w.remote.train(from + steps);
      const now = await w.remote.status();
      // Stopped early: paused by the user, or failed (the training panel says why).
      if (now.step < from + steps) return set({ busy: null });
      if (stage === 'reward') set({ fittedFor: loaded });
    }
    await refreshSamples();
    set({ busy: null, pool: null, queue: [], message: { text: `Learned from ${state.pairs.pairs.length} pairs: ${target.rewardSteps} reward-model steps, then ${target.tuneSteps} fine-tuning steps.`, error: false } });
  } catch (err) {
    set({ busy: null, message: { text: `Learning from the pairs failed: ${errorText(err)}`, error: true } });
  }
}
