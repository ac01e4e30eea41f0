import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssetReader } from '../../runtime/data/assets-node';
import { parseGraph } from '../../runtime/graph/load';
import { Trainer } from '../../runtime/train/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function load(file: string) {
  const { doc, diagnostics } = parseGraph(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return doc!;
}

const EXPECT: [string, string[], string, number][] = [
  ['vae-mnist-2d.json', ['encoder', 'decoder'], 'prior', 2],
  ['vae-mnist-16d.json', ['encoder', 'decoder'], 'prior', 16],
  ['ddpm-2d.json', ['denoiser'], 'diffusion', 0],
  ['ddpm-mnist.json', ['denoiser'], 'diffusion', 0],
  ['ddpm-swissroll.json', ['denoiser'], 'diffusion', 0],
  ['ddpm-mnist-small.json', ['denoiser'], 'diffusion', 0],
  ['ddpm-mnist-cond.json', ['denoiser'], 'diffusion', 0],
];

describe('VAE and diffusion examples', () => {
  for (const [file, roles, sampling, latent] of EXPECT) {
    it(`${file} compiles into ${roles.join(' + ')} with ${sampling} sampling`, () => {
      const doc = load(file);
      expect(doc.description!.length).toBeGreaterThan(200);
      // No two nodes share a position (the layout itself is checked in the browser, where sizes are known).
      expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length);
      const { compiled, diagnostics } = compile(doc);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compiled!.networks.map((n) => n.role).sort()).toEqual([...roles].sort());
      expect(compiled!.sampling?.features.includes(sampling === 'diffusion' ? 'frames' : 'latent')).toBe(true);
      if (latent) expect(compiled!.analysis.shapes.z.z).toEqual([null, latent]);
      if (sampling === 'diffusion') expect(compiled!.analysis.shapes.noise.t).toEqual([null, 1]);
      compiled!.dispose();
    });
  }

  it('ddpm-2d trains (the loss falls) and samples points through the reverse process', async () => {
    const doc = load('ddpm-2d.json');
    const trainer = new Trainer({ reader: nodeAssetReader() });
    const loaded = await trainer.load({ ...doc, training: { ...doc.training, batchSize: 128, sampleEvery: 0 } });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const start = performance.now();
    const first = await trainer.step(1);
    let last: Record<string, number> = {};
    for (let i = 0; i < 60; i++) last = await trainer.step(1);
    const perStep = (performance.now() - start) / 61;
    console.log(`ddpm-2d: ${perStep.toFixed(1)} ms/step on cpu, loss ${first['loss.mse'].toFixed(3)} → ${last['loss.mse'].toFixed(3)}`);
    expect(last['loss.mse']).toBeLessThan(first['loss.mse']);
    const before = tf.memory().numTensors;
    const { batch, frames } = await trainer.sample({ count: 64, seed: 3, sampler: 'ddim', steps: 10, frameEvery: 5 });
    expect(batch.kind).toBe('points');
    if (batch.kind === 'points') {
      expect(batch.count).toBe(64);
      expect(batch.data.every(Number.isFinite)).toBe(true);
    }
    expect(frames).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });
});
