// Checkpoints: a run resumed from step N takes the same steps as one that never stopped (weights,
// optimizer state, data position and step all come back), for a GAN, a VAE and a GPT; a checkpoint of
// another graph, or a damaged one, is refused with the reason and changes nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import type { GraphDocument } from '../../runtime/graph/document';
import { graphHash, parseCheckpoint } from '../../runtime/train/checkpoint';
import { ganDoc, vaeDoc } from '../compiler/docs';
import { loadExample, loadTrainer, variant } from '../learning/helpers-learning';

const SETTINGS = { batchSize: 8, seed: 3, steps: 1000, sampleEvery: 0, evalEvery: 0 };

function tinyGpt(): GraphDocument {
  return variant(loadExample('gpt-names.json'), SETTINGS, {
    embed: { dim: 16 },
    block1: { heads: 2 },
    block2: { heads: 2 },
  });
}

const FAMILIES: [string, () => GraphDocument][] = [
  ['GAN', () => ({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS } })],
  ['VAE', () => ({ ...vaeDoc(), training: { ...vaeDoc().training, ...SETTINGS } })],
  ['GPT', tinyGpt],
];

async function lossesOver(trainer: Awaited<ReturnType<typeof loadTrainer>>, steps: number): Promise<Record<string, number>[]> {
  const out: Record<string, number>[] = [];
  for (let i = 0; i < steps; i++) out.push(await trainer.step(1));
  return out;
}

const weightsOf = (t: Awaited<ReturnType<typeof loadTrainer>>) =>
  t.compiled!.networks.flatMap((n) => n.model.getWeights().map((w) => Array.from(w.dataSync())));

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('resuming from a checkpoint', () => {
  for (const [family, make] of FAMILIES) {
    it(`continues a ${family} exactly as if it had never stopped`, async () => {
      const straight = await loadTrainer(make());
      const all = await lossesOver(straight, 8);

      const first = await loadTrainer(make());
      await lossesOver(first, 4);
      // Through the file format, as a download and an upload would go.
      const file = JSON.stringify(await first.checkpoint());
      first.dispose();

      const resumed = await loadTrainer(make());
      await resumed.resume(parseCheckpoint(file));
      expect(resumed.status.step).toBe(4);
      const rest = await lossesOver(resumed, 4);
      rest.forEach((losses, i) => {
        for (const [k, v] of Object.entries(losses)) expect(Math.abs(v - all[4 + i][k]), `${k} at step ${5 + i}`).toBeLessThanOrEqual(1e-6);
      });
      const a = weightsOf(straight);
      const b = weightsOf(resumed);
      a.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThanOrEqual(1e-6)));
      straight.dispose();
      resumed.dispose();
    });
  }
});

describe('resuming a run that samples through a weight average', () => {
  const withEma = (): GraphDocument => ({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS, ema: 0.9 } });
  const samples = async (t: Awaited<ReturnType<typeof loadTrainer>>) => {
    const { batch } = await t.sample({ count: 16, seed: 5 });
    return batch.kind === 'text' ? [] : Array.from(batch.data);
  };

  it('keeps the average, so the resumed run samples as the unbroken one does', async () => {
    const straight = await loadTrainer(withEma());
    await lossesOver(straight, 6);
    const first = await loadTrainer(withEma());
    await lossesOver(first, 3);
    const ck = parseCheckpoint(JSON.stringify(await first.checkpoint()));
    first.dispose();
    expect(ck.average?.length).toBeGreaterThan(0);

    const resumed = await loadTrainer(withEma());
    await resumed.resume(ck);
    await lossesOver(resumed, 3);
    const a = await samples(straight);
    const b = await samples(resumed);
    expect(b).toHaveLength(a.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]), `sample value ${i}`).toBeLessThanOrEqual(1e-5));

    // An older checkpoint, without the average, still resumes: the average restarts from its weights.
    const { average: _dropped, ...older } = ck;
    const restarted = await loadTrainer(withEma());
    await restarted.resume(older);
    await lossesOver(restarted, 3);
    expect(await samples(restarted)).not.toEqual(a);
    straight.dispose();
    resumed.dispose();
    restarted.dispose();
  });
});

describe('a checkpoint that does not fit', () => {
  it('of another graph is refused with the reason, and the run is unchanged', async () => {
    const gan = await loadTrainer({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS } });
    await gan.step(2);
    const ck = await gan.checkpoint();
    gan.dispose();
    const vae = await loadTrainer({ ...vaeDoc(), training: { ...vaeDoc().training, ...SETTINGS } });
    await vae.step(1);
    const before = weightsOf(vae);
    const tensors = tf.memory().numTensors;
    await expect(vae.resume(ck)).rejects.toThrow(/another graph/);
    expect(weightsOf(vae)).toEqual(before);
    expect(vae.status.step).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
    vae.dispose();
  });

  it('truncated or corrupted is refused with a clear error, and the run is unchanged', async () => {
    const trainer = await loadTrainer({ ...vaeDoc(), training: { ...vaeDoc().training, ...SETTINGS } });
    await trainer.step(2);
    const text = JSON.stringify(await trainer.checkpoint());
    expect(() => parseCheckpoint(text.slice(0, text.length / 2))).toThrow(/not valid JSON/);
    expect(() => parseCheckpoint('{"format":"genloom.weights"}')).toThrow(/not a genloom.checkpoint file/);
    // A weight tensor cut short inside an otherwise well-formed file.
    const ck = parseCheckpoint(text);
    const name = Object.keys(ck.networks)[0];
    ck.networks[name].weightData = ck.networks[name].weightData.slice(0, 8);
    await trainer.step(1);
    const before = weightsOf(trainer);
    await expect(trainer.resume(ck)).rejects.toThrow();
    expect(weightsOf(trainer)).toEqual(before);
    expect(trainer.status.step).toBe(3);
    // Optimizer state of the wrong size names the tensor.
    const bad = parseCheckpoint(text);
    bad.optimizers[0][1].data = bad.optimizers[0][1].data.slice(0, 4);
    await expect(trainer.resume(bad)).rejects.toThrow(/optimizer state 1/);
    expect(weightsOf(trainer)).toEqual(before);
    trainer.dispose();
  });
});

describe('the graph hash', () => {
  it('ignores the order of keys, nodes and edges, and positions, but not a param', () => {
    const a = ganDoc();
    const b: GraphDocument = JSON.parse(JSON.stringify(a));
    b.nodes.reverse();
    b.edges.reverse();
    b.nodes[0].position = { x: 999, y: -5 };
    b.training = Object.fromEntries(Object.entries(b.training).reverse()) as GraphDocument['training'];
    expect(graphHash(b)).toBe(graphHash(a));
    b.nodes.find((n) => n.id === 'g1')!.params.units = 9;
    expect(graphHash(b)).not.toBe(graphHash(a));
  });
});
