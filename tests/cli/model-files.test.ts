// The written model.json + weights.bin load back with tfjs's own loader and predict what the
// trained network predicts; weights.json round-trips into a fresh trainer.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFromJSON, bundleToJSON, writeModels } from '../../runtime/cli/model-files';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import type { WeightsBundle } from '../../runtime/train/weights';
import { smallRingGan } from './fixtures';

/** Reads a layers-model folder the way tf.io.http would: model.json, then the files its manifest names. */
function folderHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const parts: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const b = readFileSync(join(dir, p));
          parts.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
      }
      return { modelTopology: json.modelTopology, format: json.format, weightSpecs: specs, weightData: tf.io.concatenateArrayBuffers(parts) };
    },
  };
}

describe('trained networks on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genloom-models-'));
  let trainer: Trainer;
  let bundle: WeightsBundle;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(smallRingGan())).ok).toBe(true);
    await trainer.step(3);
    bundle = await trainer.exportWeights();
    await writeModels(join(dir, 'models'), bundle);
  });

  afterAll(() => {
    trainer.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads each network with tf.loadLayersModel and predicts the same', async () => {
    for (const net of trainer.compiled!.networks) {
      const loaded = await tf.loadLayersModel(folderHandler(join(dir, 'models', net.name)));
      const shape = net.inputs[0].shape.slice(1) as number[];
      const x = tf.randomNormal([7, ...shape], 0, 1, 'float32', 5);
      const want = net.model.predict(x) as tf.Tensor;
      const got = loaded.predict(x) as tf.Tensor;
      expect(got.shape).toEqual(want.shape);
      const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
      expect(diff).toBeLessThan(1e-5);
      tf.dispose([x, want, got]);
      loaded.dispose();
    }
  });

  it('round-trips weights.json into a fresh trainer of the same graph', async () => {
    const text = bundleToJSON(bundle);
    expect(() => JSON.parse(text)).not.toThrow();
    const back = bundleFromJSON(text);
    expect(back.step).toBe(3);
    const fresh = new Trainer({ reader: nodeAssets });
    try {
      expect((await fresh.load(smallRingGan())).ok).toBe(true);
      const z = tf.randomNormal([4, 16], 0, 1, 'float32', 9);
      const gen = (t: Trainer) => t.compiled!.networks.find((n) => n.name === 'generator')!.model;
      const before = gen(fresh).predict(z) as tf.Tensor;
      const trained = gen(trainer).predict(z) as tf.Tensor;
      // The fresh network starts elsewhere, so agreement below comes from the file.
      expect(tf.max(tf.abs(tf.sub(before, trained))).dataSync()[0]).toBeGreaterThan(1e-6);
      await fresh.importWeights(back);
      const after = gen(fresh).predict(z) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(after, trained))).dataSync()[0]).toBeLessThan(1e-6);
      expect(fresh.status.step).toBe(3);
      tf.dispose([z, before, trained, after]);
    } finally {
      fresh.dispose();
    }
  });

  it('says what is wrong with a file that is not a weights bundle', () => {
    expect(() => bundleFromJSON('{', 'w.json')).toThrow('w.json is not valid JSON');
    expect(() => bundleFromJSON('{"format":"genloom.graph"}', 'w.json')).toThrow(/not a genloom\.weights file/);
    const broken = JSON.parse(bundleToJSON(bundle));
    delete broken.networks.generator.weightSpecs;
    expect(() => bundleFromJSON(JSON.stringify(broken), 'w.json')).toThrow(/network "generator" lacks/);
  });
});
