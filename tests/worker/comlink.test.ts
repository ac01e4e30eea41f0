// The trainer end to end through comlink, in a Node worker thread.
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../runtime/train/events';
import { startNodeTrainer, type NodeTrainerHandle } from '../../runtime/worker/node-trainer-client';
import { brokenRingGan, smallRingGan } from '../cli/fixtures';

describe('trainer in a worker thread over comlink', () => {
  let h: NodeTrainerHandle;
  const events: TrainerEvent[] = [];
  const states = () => events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
  const progress = () => events.flatMap((e) => (e.type === 'progress' ? [e] : []));

  async function until(cond: () => boolean, ms = 60_000): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error('timed out waiting for the worker');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    h = startNodeTrainer();
    expect(await h.trainer.init('cpu')).toBe('cpu');
    await h.trainer.subscribe(Comlink.proxy((e: TrainerEvent) => void events.push(e)));
  });

  afterAll(async () => {
    await h?.close();
  });

  it('loads the ring GAN and trains, reporting progress through the proxy', async () => {
    const r = await h.trainer.load(smallRingGan());
    expect(r.ok).toBe(true);
    expect(r.networks.map((n) => n.name).sort()).toEqual(['discriminator', 'generator']);
    await h.trainer.train(3);
    // Events travel as separate messages; the last may land just after train() resolves.
    await until(() => states().includes('done'));
    const last = progress().at(-1)!;
    expect(last.step).toBe(3);
    expect(last.totalSteps).toBe(3);
    expect(Object.keys(last.losses).sort()).toEqual(['loss.discriminator', 'loss.generator']);
    for (const v of Object.values(last.losses)) expect(Number.isFinite(v)).toBe(true);
    expect(states()).toEqual(['ready', 'running', 'done']);
    expect((await h.trainer.status()).step).toBe(3);
  });

  it('pauses a run that is in progress in the worker, and resumes it', async () => {
    events.length = 0;
    const run = h.trainer.train(1_000_000);
    await until(() => progress().some((e) => e.step >= 4));
    await h.trainer.pause();
    await run;
    const paused = await h.trainer.status();
    expect(paused.state).toBe('paused');
    expect(paused.step).toBeGreaterThanOrEqual(4);
    expect(paused.step).toBeLessThan(1_000_000);
    await until(() => states().includes('paused'));
    expect(states()).toEqual(['running', 'paused']);

    await h.trainer.train(paused.step + 2);
    const resumed = await h.trainer.status();
    expect(resumed.state).toBe('done');
    expect(resumed.step).toBe(paused.step + 2);
  });

  it('returns the diagnostics of a graph that does not compile, naming the node', async () => {
    events.length = 0;
    const r = await h.trainer.load(brokenRingGan());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.nodeId === 'g2')).toBe(true);
    await until(() => events.some((e) => e.type === 'error'));
    const err = events.find((e) => e.type === 'error');
    expect(err?.type === 'error' && err.diagnostics.some((d) => d.nodeId === 'g2')).toBe(true);
    // The model loaded before is kept.
    expect((await h.trainer.status()).step).toBeGreaterThan(0);
  });

  it('samples 2-D points with the real data beside them', async () => {
    const { batch } = await h.trainer.sample({ count: 50, seed: 3 });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    expect(batch.count).toBe(50);
    expect(batch.data).toBeInstanceOf(Float32Array);
    expect(batch.data.length).toBe(100);
    expect(batch.data.every(Number.isFinite)).toBe(true);
    expect(batch.real.length).toBeGreaterThan(0);
    // Transferring the samples must not detach the trainer's reference set: a second batch still has it.
    const again = await h.trainer.sample({ count: 5, seed: 4 });
    expect(again.batch.kind === 'points' && again.batch.real.length).toBe(batch.real.length);
  });

  it('exports weights across the thread boundary', async () => {
    const bundle = await h.trainer.exportWeights();
    const step = (await h.trainer.status()).step;
    expect(bundle.step).toBe(step);
    expect(Object.keys(bundle.networks).sort()).toEqual(['discriminator', 'generator']);
    expect(bundle.networks.generator.weightData.byteLength).toBeGreaterThan(0);
    await h.trainer.importWeights(bundle);
    expect((await h.trainer.status()).step).toBe(step);
  });
});
