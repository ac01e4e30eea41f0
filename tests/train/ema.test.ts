// The moving average of the generator's weights: after k steps it equals the closed form
// β^k·w₀ + (1 − β)·Σᵢ β^(k−i)·wᵢ, and sampling uses it while training does not.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { bundleFromJSON, bundleToJSON } from '../../runtime/cli/model-files';
import { weightsFromText, weightsToText } from '../../app/training/weightsFile';
import { doc, e, n } from '../compiler/docs';

function ringGan(ema: number) {
  return doc(
    [
      n('z', 'noise', { shape: [4] }),
      n('g1', 'dense', { units: 8, activation: 'leakyRelu' }),
      n('g2', 'dense', { units: 2 }),
      n('data', 'dataset', { dataset: 'ring' }),
      n('D', 'discriminator'),
      n('d1', 'dense', { units: 8, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'dense', { units: 1 }, { parentId: 'D' }),
      n('loss', 'adversarial', { lrD: 0.05, lrG: 0.05 }),
    ],
    [
      e('z.z', 'g1.in'), e('g1.out', 'g2.in'), e('g2.out', 'D.fake'), e('data.x', 'D.real'),
      e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
    ],
    { batchSize: 8, seed: 5, steps: 100, ema },
  );
}

const generatorWeights = (t: Trainer) =>
  t.compiled!.networks.find((net) => !net.group)!.model.trainableWeights.map((w) => w.read() as tf.Variable);
const snapshot = (t: Trainer) => generatorWeights(t).map((v) => Float64Array.from(v.dataSync()));

async function samplePoints(t: Trainer): Promise<number[]> {
  const { batch } = await t.sample({ count: 6, seed: 3 });
  return batch.kind === 'points' ? Array.from(batch.data) : [];
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('EMA of the generator weights', () => {
  it('samples through the closed-form average after k steps, and training is unchanged by it', async () => {
    const beta = 0.8;
    const k = 6;
    // The plain run records the live weights after each step.
    const plain = new Trainer({ reader: nodeAssets });
    expect((await plain.load(ringGan(0))).ok).toBe(true);
    const history = [snapshot(plain)];
    for (let i = 0; i < k; i++) {
      await plain.step(1);
      history.push(snapshot(plain));
    }
    const averaged = new Trainer({ reader: nodeAssets });
    expect((await averaged.load(ringGan(beta))).ok).toBe(true);
    await averaged.step(1); // creates the optimizers' state
    const before = tf.memory().numTensors;
    await averaged.step(k - 1);
    const fromEma = await samplePoints(averaged);
    expect(tf.memory().numTensors).toBe(before);
    // The live weights are the plain run's: the average never feeds back into training.
    snapshot(averaged).forEach((w, j) => w.forEach((x, m) => expect(x).toBeCloseTo(history[k][j][m], 5)));

    const closed = history[0].map((w0, j) =>
      w0.map((x0, m) => {
        let s = beta ** k * x0;
        for (let i = 1; i <= k; i++) s += (1 - beta) * beta ** (k - i) * history[i][j][m];
        return s;
      }),
    );
    const live = await samplePoints(plain);
    generatorWeights(plain).forEach((v, j) => v.assign(tf.tensor(Float32Array.from(closed[j]), v.shape)));
    const fromClosedForm = await samplePoints(plain);
    expect(fromEma).toHaveLength(12);
    fromEma.forEach((x, i) => expect(x).toBeCloseTo(fromClosedForm[i], 4));
    expect(fromEma).not.toEqual(live);
    plain.dispose();
    averaged.dispose();
  });
});

describe('EMA in weights files', () => {
  async function trained(): Promise<Trainer> {
    const t = new Trainer({ reader: nodeAssets });
    expect((await t.load(ringGan(0.8))).ok).toBe(true);
    await t.step(6);
    return t;
  }
  async function fresh(): Promise<Trainer> {
    const t = new Trainer({ reader: nodeAssets });
    expect((await t.load(ringGan(0.8))).ok).toBe(true);
    return t;
  }

  it('carry the average: an imported model samples as it did, through the CLI and the app file formats', async () => {
    const source = await trained();
    const expected = await samplePoints(source);
    const bundle = await source.exportWeights();
    expect(Object.keys(bundle.averages ?? {})).toEqual(['generator']);
    for (const text of [bundleToJSON(bundle), weightsToText(bundle)]) {
      const target = await fresh();
      const before = tf.memory().numTensors;
      await target.importWeights(text.includes('weightDataBase64') ? weightsFromText(text, 'w.json') : bundleFromJSON(text));
      expect(tf.memory().numTensors).toBe(before);
      const got = await samplePoints(target);
      got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
      target.dispose();
    }
    // The live weights came over too: the averaged samples are not the live generator's.
    const live = await fresh();
    await live.importWeights({ ...bundle, averages: undefined });
    expect(await samplePoints(live)).not.toEqual(expected);
    live.dispose();
    source.dispose();
  });

  it('restart the average from the live weights when the file holds none', async () => {
    const source = await trained();
    const bundle = await source.exportWeights();
    const target = await fresh();
    await target.importWeights({ ...bundle, averages: undefined });
    const fromFile = await samplePoints(target);
    // With no average, the imported live weights are what is sampled; a graph without one ignores the file's.
    const noEma = new Trainer({ reader: nodeAssets });
    expect((await noEma.load(ringGan(0))).ok).toBe(true);
    await noEma.importWeights(bundle);
    expect(fromFile).toEqual(await samplePoints(noEma));
    [source, target, noEma].forEach((t) => t.dispose());
  });

  it('refuse averages that do not fit, naming the weight, and change nothing', async () => {
    const source = await trained();
    const bundle = await source.exportWeights();
    const target = await trained();
    const before = await samplePoints(target);
    const other = new Trainer({ reader: nodeAssets });
    const wider = ringGan(0.8);
    wider.nodes.find((n) => n.id === 'g1')!.params.units = 9;
    expect((await other.load(wider)).ok).toBe(true);
    const { averages } = await other.exportWeights();
    await expect(target.importWeights({ ...bundle, averages })).rejects.toThrow(/network "generator"'s averaged weight ".*kernel.*" has shape \[4,9\] in the file, \[4,8\] in the graph/);
    await expect(target.importWeights({ ...bundle, averages: {} })).rejects.toThrow(/average no network "generator"/);
    expect(await samplePoints(target)).toEqual(before);
    [source, target, other].forEach((t) => t.dispose());
  });
});
