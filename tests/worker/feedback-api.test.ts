// The worker calls the Feedback view makes, through comlink in a worker thread: pairs handed to a
// loaded model's preferences node without recompiling, the reward stage trained on them, the reward
// model's scores of new samples, and a batch of samples handed back to the caller.
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPreferences, type PreferencePair, type PreferenceSet } from '../../nodes/feedback/preferences';
import type { TrainerEvent } from '../../runtime/train/events';
import { example } from '../cli/fixtures';
import { startTrainerThread } from './trainer-thread';

/** The ring feedback example, rated by you, its layers narrowed and its batch small, for a quick test. */
function ringFeedback() {
  const g = example('feedback-ring');
  for (const node of g.nodes) {
    if (node.type === 'dense' && Number(node.params.units) > 2) node.params.units = 16;
    if (node.type === 'preferences') node.params = { ...node.params, rater: 'you', pairsName: 'mine' };
  }
  g.training = { ...g.training, batchSize: 32, evalEvery: 0, sampleEvery: 0 };
  return g;
}

/** Pairs of points on a circle where the one further right was chosen, as a person steering right would. */
function rightward(count: number): PreferenceSet {
  const pairs: PreferencePair[] = [];
  for (let i = 0; i < count; i++) {
    const a = [Math.cos(i * 2.4), Math.sin(i * 2.4)].map((v) => Math.round(v * 1e4) / 1e4);
    const b = [Math.cos(i * 2.4 + 1.9), Math.sin(i * 2.4 + 1.9)].map((v) => Math.round(v * 1e4) / 1e4);
    pairs.push(a[0] >= b[0] ? { chosen: a, rejected: b, rater: 'you' } : { chosen: b, rejected: a, rater: 'you' });
  }
  return { ...emptyPreferences('points'), pairs };
}

describe('the feedback calls of the training worker, as the Feedback view makes them', () => {
  const thread = startTrainerThread();
  const api = thread.remote;
  const events: TrainerEvent[] = [];

  afterAll(async () => {
    await thread.close();
  });

  it('takes the pairs before the graph is loaded, and again live once it is', { timeout: 120_000 }, async () => {
    await api.init('cpu', Comlink.proxy((ev: TrainerEvent) => void events.push(ev)));
    // Loaded with pairs that prefer the left: what the reward model learns below can only come from the
    // rightward pairs handed over live.
    const leftward = rightward(8);
    leftward.pairs = leftward.pairs.map((p) => ({ ...p, chosen: p.rejected, rejected: p.chosen }));
    expect(await api.setPreferences('mine', leftward)).toBe(8);
    const r = await api.load(ringFeedback());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(await api.setPreferences('mine', rightward(40))).toBe(40);
  });

  it('refuses pairs of another kind for a loaded node', async () => {
    const names: PreferenceSet = { ...emptyPreferences('text'), pairs: [{ chosen: 'Ava', rejected: 'Bo', rater: 'you' }] };
    await expect(api.setPreferences('mine', names)).rejects.toThrow(/"mine" compare text, but the graph's preferences node compares points/);
  });

  it('after the reward stage, scores points further right higher, as the live pairs said', { timeout: 120_000 }, async () => {
    await api.syncReferences();
    await api.setStage('reward');
    await api.train(150);
    expect((await api.status()).step).toBe(150);
    const n = 9;
    const points = Array.from({ length: n }, (_, i) => [-1.5 + (3 * i) / (n - 1), 0]);
    const scores = await api.preferenceScores('prefs', points);
    expect(scores).not.toBeNull();
    expect(scores!.length).toBe(n);
    let rising = 0;
    for (let i = 1; i < n; i++) if (scores![i] > scores![i - 1]) rising++;
    expect(rising).toBeGreaterThanOrEqual(n - 2);
    expect(scores![n - 1] - scores![0]).toBeGreaterThan(0.5);
  });

  it('hands one batch of samples back to the caller, without an event to the gallery', async () => {
    const before = events.length;
    const batch = await api.sampleBatch({ count: 8, seed: 3 });
    expect(batch.kind).toBe('points');
    expect(batch.kind === 'points' && batch.data.length).toBe(16);
    expect(events.slice(before).filter((e) => e.type === 'samples' || e.type === 'sample-stream')).toEqual([]);
  });
});
