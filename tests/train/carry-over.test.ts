// Resampling a trained model another way (truncated noise, a guidance scale) without training it
// again: the trainer compiles the edited graph and carries the run over exactly.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../runtime/graph/document';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { checkpointFits, graphHash } from '../../runtime/train/graph-hash';
import { Trainer } from '../../runtime/train/trainer';
import { parseGraph } from '../../runtime/graph/load';
import { example, smallRingGan } from '../cli/fixtures';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const withParams = (doc: GraphDocument, type: string, params: Record<string, unknown>): GraphDocument => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.type === type ? { ...n, params: { ...n.params, ...params } } : n)),
});

const weights = (t: Trainer): number[] => t.compiled!.networks.flatMap((n) => n.model.getWeights().flatMap((w) => Array.from(w.dataSync())));

async function points(t: Trainer): Promise<number[]> {
  const { batch } = await t.sample({ count: 64, seed: 3, plain: true });
  if (batch.kind !== 'points') throw new Error(`expected points, got ${batch.kind}`);
  return Array.from(batch.data);
}

describe('carrying a trained model over to other sampling settings', () => {
  it('samples the new way and trains on exactly as if nothing had changed', async () => {
    const doc = { ...smallRingGan(), training: { ...smallRingGan().training, steps: 8 } };
    const straight = new Trainer({ reader: nodeAssets });
    await straight.load(doc);
    await straight.train(8);

    const carried = new Trainer({ reader: nodeAssets });
    await carried.load(doc);
    await carried.train(5);
    const before = { weights: weights(carried), points: await points(carried), state: carried.status.state };
    const tensors = tf.memory().numTensors;
    const heard: string[] = [];
    const stop = carried.subscribe((e) => heard.push(e.type));
    const result = await carried.carryOver(withParams(doc, 'noise', { truncation: 0.5 }));
    stop();
    expect(result.ok).toBe(true);
    // To the page the run goes on as it was: it hears nothing of the recompile, only the outcome.
    expect(heard).toEqual([]);
    expect(carried.status).toMatchObject({ step: 5, state: before.state });
    expect(weights(carried)).toEqual(before.weights);
    expect(tf.memory().numTensors).toBe(tensors);
    // Noise cut at ±0.5 reaches a narrower part of the generator's range.
    const after = await points(carried);
    expect(after).not.toEqual(before.points);
    const spread = (p: number[]) => Math.sqrt(p.reduce((s, v) => s + v * v, 0) / p.length);
    expect(spread(after)).not.toBeCloseTo(spread(before.points), 3);
    // The optimizer state and the data position came along: three more steps land where eight straight do.
    await carried.train(8);
    expect(carried.status.step).toBe(8);
    expect(weights(carried)).toEqual(weights(straight));
    straight.dispose();
    carried.dispose();
  });

  it('refuses a graph whose model changed, and keeps the run it has', async () => {
    const doc = smallRingGan();
    const t = new Trainer({ reader: nodeAssets });
    await t.load(doc);
    await t.train(2);
    const kept = weights(t);
    await expect(t.carryOver(withParams(doc, 'dense', { units: 9 }))).rejects.toThrow(/changed beyond how it is sampled/);
    expect(t.status.step).toBe(2);
    expect(weights(t)).toEqual(kept);
    t.dispose();
  });

  it('trains the same whether or not it draws samples for show, so the sample interval is not part of the hash', async () => {
    const run = async (sampleEvery: number) => {
      const doc = smallRingGan();
      doc.training = { ...doc.training, sampleEvery };
      const t = new Trainer({ reader: nodeAssets });
      await t.load(doc);
      await t.train(5);
      const w = weights(t);
      t.dispose();
      return { w, hash: graphHash(doc) };
    };
    const [shown, none] = [await run(1), await run(0)];
    expect(shown.w).toEqual(none.w);
    expect(shown.hash).toBe(none.hash);
  });

  it('lets a diffusion checkpoint fit the graph at another guidance scale, and older checkpoints still fit', () => {
    const doc = example('ddpm-mnist-cond');
    const other = withParams(doc, 'noiseSchedule', { guidance: 7, sampleSteps: 20 });
    expect(graphHash(other)).toBe(graphHash(doc));
    expect(checkpointFits(graphHash(doc), other)).toBe(true);
    // The hash this graph had before the sampler's settings left it (checkpoints saved then carry it):
    // it fits the graph with the settings it was saved with, not another guidance.
    expect(checkpointFits('55351c5e', doc)).toBe(true);
    expect(checkpointFits('55351c5e', other)).toBe(false);
    expect(checkpointFits(graphHash(doc), withParams(doc, 'noiseSchedule', { T: 500 }))).toBe(false);
    // The CLI trains without drawing samples (sampleEvery 0); its older checkpoints fit the graph in the app too.
    const cgan = example('cgan-mnist');
    expect(cgan.training.sampleEvery).toBeGreaterThan(0);
    expect(checkpointFits('7b1d44d0', parseGraph(JSON.stringify(cgan)).doc!)).toBe(true);
  });
});
