// The API the browser's training worker serves (runtime/worker/trainer-api.ts), end to end through
// comlink in a Node worker thread: events through a proxied callback, samples as transferables.
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleBatch, TrainerEvent } from '../../runtime/train/events';
import { brokenRingGan, smallRingGan } from '../cli/fixtures';
import { doc, e, n } from '../compiler/docs';
import { startTrainerThread } from './trainer-thread';

/** A one-layer char model with attention over an uploaded list of names. */
function tinyLanguageModel() {
  return doc(
    [
      n('text', 'textDataset', { corpus: 'upload', uploadName: 'names.txt', uploadVocabSize: 5, contextLength: 6 }),
      n('emb', 'tokenEmbedding', { dim: 8 }),
      n('att', 'multiHeadAttention', { heads: 2, headSize: 4 }),
      n('head', 'lmHead', {}),
      n('loss', 'crossEntropy', {}),
    ],
    [e('text.tokens', 'emb.tokens'), e('emb.out', 'att.in'), e('att.out', 'head.in'), e('head.logits', 'loss.logits'), e('text.targets', 'loss.target')],
  );
}

describe('the training worker API in a worker thread over comlink', () => {
  const thread = startTrainerThread();
  const api = thread.remote;
  const events: TrainerEvent[] = [];
  const states = () => events.flatMap((ev) => (ev.type === 'state' ? [ev.state] : []));
  const progress = () => events.flatMap((ev) => (ev.type === 'progress' ? [ev] : []));
  const stream = (id: number) => events.flatMap((ev) => (ev.type === 'sample-stream' && ev.id === id ? [ev] : []));

  async function until(cond: () => boolean, ms = 60_000): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error('timed out waiting for the worker');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Samples through the stream protocol: resolves with the batch of the event that closes stream `id`. */
  async function sampled(req: { count: number; seed: number; maxTokens?: number }, id: number): Promise<SampleBatch> {
    await api.sample(req, id);
    await until(() => stream(id).some((ev) => ev.done));
    return stream(id).find((ev) => ev.done)!.batch;
  }

  afterAll(async () => {
    await thread.close();
  });

  it('refuses to load before init, saying what to call', async () => {
    await expect(api.load(smallRingGan())).rejects.toThrow(/call init first/);
  });

  it('starts the backend it is asked for', async () => {
    const info = await api.init('cpu', Comlink.proxy((ev: TrainerEvent) => void events.push(ev)));
    expect(info.name).toBe('cpu');
  });

  it('loads the ring GAN and trains, reporting progress and periodic samples through the proxy', async () => {
    const ring = smallRingGan();
    ring.training.sampleEvery = 2;
    const r = await api.load(ring);
    expect(r.ok).toBe(true);
    expect(r.networks.map((net) => net.name).sort()).toEqual(['discriminator', 'generator']);
    await api.train(4);
    // Events travel as separate messages; the last may land just after train() resolves.
    await until(() => states().includes('done'));
    const last = progress().at(-1)!;
    expect(last.step).toBe(4);
    expect(last.totalSteps).toBe(4);
    expect(Object.keys(last.losses).sort()).toEqual(['loss.discriminator', 'loss.generator']);
    for (const v of Object.values(last.losses)) expect(Number.isFinite(v)).toBe(true);
    expect(states()).toEqual(['ready', 'running', 'done']);
    expect((await api.status()).step).toBe(4);
    // Each periodic batch arrives whole: transferring it must not detach the real points the next one needs.
    const periodic = events.flatMap((ev) => (ev.type === 'samples' && ev.batch.kind === 'points' ? [ev.batch] : []));
    expect(periodic.length).toBeGreaterThanOrEqual(2);
    for (const b of periodic) {
      expect(b.data.length).toBe(2 * b.count);
      expect(b.real.length).toBe(periodic[0].real.length);
    }
    expect(periodic[0].real.length).toBeGreaterThan(0);
  });

  it('pauses a run that is in progress in the worker, and resumes it', async () => {
    events.length = 0;
    const run = api.train(1_000_000);
    await until(() => progress().some((ev) => ev.step >= 8));
    await api.pause();
    await run;
    const paused = await api.status();
    expect(paused.state).toBe('paused');
    expect(paused.step).toBeGreaterThanOrEqual(8);
    expect(paused.step).toBeLessThan(1_000_000);
    await until(() => states().includes('paused'));
    expect(states()).toEqual(['running', 'paused']);

    await api.train(paused.step + 2);
    const resumed = await api.status();
    expect(resumed.state).toBe('done');
    expect(resumed.step).toBe(paused.step + 2);
  });

  it('returns the diagnostics of a graph that does not compile, naming the node', async () => {
    events.length = 0;
    const r = await api.load(brokenRingGan());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.nodeId === 'g2')).toBe(true);
    await until(() => events.some((ev) => ev.type === 'error'));
    const err = events.find((ev) => ev.type === 'error');
    expect(err?.type === 'error' && err.diagnostics.some((d) => d.nodeId === 'g2')).toBe(true);
    // The model loaded before is kept.
    expect((await api.status()).step).toBeGreaterThan(0);
  });

  it('samples 2-D points as a closed stream, with the real data beside them', async () => {
    const batch = await sampled({ count: 50, seed: 3 }, 1);
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    expect(batch.count).toBe(50);
    expect(batch.data).toBeInstanceOf(Float32Array);
    expect(batch.data.length).toBe(100);
    expect(batch.data.every(Number.isFinite)).toBe(true);
    expect(batch.real.length).toBeGreaterThan(0);
    const again = await sampled({ count: 5, seed: 4 }, 2);
    expect(again.kind === 'points' && again.real.length).toBe(batch.real.length);
  });

  it('exports weights across the thread boundary and imports them back', async () => {
    const bundle = await api.exportWeights();
    const step = (await api.status()).step;
    expect(bundle.step).toBe(step);
    expect(Object.keys(bundle.networks).sort()).toEqual(['discriminator', 'generator']);
    expect(bundle.networks.generator.weightData.byteLength).toBeGreaterThan(0);
    expect(await api.importWeights({ ...bundle, step: step + 7 })).toBe(step + 7);
  });

  it('trains a language model on uploaded text, streams its samples and shows its attention', async () => {
    events.length = 0;
    await api.setUserText('names.txt', Array.from({ length: 40 }, (_, i) => ['abc', 'cab', 'bca'][i % 3]).join('\n'), true);
    const r = await api.load(tinyLanguageModel());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    await api.step(2);

    const vocab = await api.vocabulary();
    expect(vocab?.lines).toBe(true);
    expect(vocab?.chars.filter((c) => c.length === 1).sort().join('')).toBe('abc');

    const batch = await sampled({ count: 2, seed: 5, maxTokens: 4 }, 3);
    expect(batch.kind).toBe('text');
    if (batch.kind !== 'text') return;
    expect(batch.texts).toHaveLength(2);
    for (const t of batch.texts) expect(t).toMatch(/^[abc]{0,4}$/);
    // Tokens stream before the stream closes.
    const partial = stream(3).filter((ev) => !ev.done);
    expect(partial.length).toBeGreaterThan(0);

    const view = await api.attention('ab');
    expect(view.tokens).toEqual(['⏎', 'a', 'b']);
    expect(view.maps).toHaveLength(1);
    const w = view.maps[0].weights;
    expect(w).toHaveLength(2 * 3 * 3);
    // Causal softmax rows: each sums to 1 and puts no weight on later positions.
    for (let row = 0; row < 2 * 3; row++) {
      const cells = Array.from(w.subarray(row * 3, row * 3 + 3));
      expect(cells.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (let k = (row % 3) + 1; k < 3; k++) expect(cells[k]).toBe(0);
    }
  });
});
