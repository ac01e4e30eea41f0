// The worker calls the Feedback view uses, through comlink in a worker thread: pairs handed to a loaded
// model's preferences node without recompiling, the reward model's scores of new samples (none before
// it has trained), and a training stage chosen for the next steps.
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPreferences, type PreferencePair, type PreferenceSet } from '../../nodes/feedback/preferences';
import type { SampleBatch, TrainerEvent } from '../../runtime/train/events';
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

/** Points along the x axis from −1.5 to 1.5. */
function sweep(n: number): SampleBatch {
  const data = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) data[2 * i] = -1.5 + (3 * i) / (n - 1);
  return { kind: 'points', count: n, data, real: new Float32Array() };
}

describe('the feedback calls of the training worker', () => {
  const thread = startTrainerThread();
  const api = thread.remote;
  const events: TrainerEvent[] = [];

  afterAll(async () => {
    await thread.close();
  });

  it('takes pairs before and after the graph is loaded; only a loaded node takes them live', { timeout: 120_000 }, async () => {
    await api.init('cpu', Comlink.proxy((ev: TrainerEvent) => void events.push(ev)));
    expect(await api.setUserPreferences('mine', rightward(4))).toBe(0);
    const r = await api.load(ringFeedback());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(await api.setUserPreferences('mine', rightward(40))).toBe(1);
    expect(await api.setUserPreferences('someone else’s', rightward(2))).toBe(0);
  });

  it('refuses pairs of another kind for a loaded node, naming it', async () => {
    const names: PreferenceSet = { ...emptyPreferences('text'), pairs: [{ chosen: 'Ava', rejected: 'Bo', rater: 'you' }] };
    await expect(api.setUserPreferences('mine', names)).rejects.toThrow(/preferences "prefs": the pairs "mine" compare text, but the node compares points/);
  });

  it('scores nothing before the reward model has trained', async () => {
    expect(await api.rewards(sweep(5))).toBeNull();
  });

  it('after the reward stage, scores points further right higher, as the pairs said', { timeout: 120_000 }, async () => {
    await api.setStage('reward');
    await api.train(150);
    expect((await api.status()).step).toBe(150);
    const n = 9;
    const scores = await api.rewards(sweep(n));
    expect(scores).not.toBeNull();
    expect(scores!.length).toBe(n);
    let rising = 0;
    for (let i = 1; i < n; i++) if (scores![i] > scores![i - 1]) rising++;
    expect(rising).toBeGreaterThanOrEqual(n - 2);
    expect(scores![n - 1] - scores![0]).toBeGreaterThan(0.5);
  });

  it('names the stages a graph has when asked for one it lacks', async () => {
    await expect(api.setStage('nonsense' as 'base')).rejects.toThrow(/has no "nonsense" objectives/);
  });
});
