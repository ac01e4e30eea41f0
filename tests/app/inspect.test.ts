// What the attention and denoising views are fed: the worker's inspect helpers on real example
// models (cpu backend, untrained or barely trained; the views show whatever the model holds).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { parseGraph } from '../../runtime/graph/load';
import { Trainer } from '../../runtime/train/trainer';
import { attentionView, denoisingFrames, vocabularyOf } from '../../runtime/worker/inspect';
import { ATTENTION_MAX_LENGTH } from '../../runtime/worker/protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function example(file: string) {
  const { doc } = parseGraph(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  return { ...doc!, training: { ...doc!.training, sampleEvery: 0, evalEvery: 0 } };
}

describe('attention of the names GPT', () => {
  const trainer = new Trainer({ reader: nodeAssets });
  beforeAll(async () => {
    const doc = example('gpt-names.json');
    expect((await trainer.load({ ...doc, training: { ...doc.training, batchSize: 4 } })).ok).toBe(true);
    await trainer.step(1);
  });
  afterAll(() => trainer.dispose());

  it('reports a lower-case vocabulary made of lines', async () => {
    const vocab = (await vocabularyOf(trainer, nodeAssets))!;
    expect(vocab.lines).toBe(true);
    expect(vocab.chars).toContain('a');
    expect(vocab.chars.some((c) => c !== c.toLowerCase())).toBe(false);
  });

  it('gives every layer and head a causal map whose rows are distributions, with the text as labels', async () => {
    const before = tf.memory().numTensors;
    const view = await attentionView(trainer, 'anna', nodeAssets);
    expect(tf.memory().numTensors).toBe(before);
    expect(view.tokens).toEqual(['⏎', 'a', 'n', 'n', 'a']);
    expect(view.cropped).toBe(0);
    expect(view.maps).toHaveLength(2);
    for (const m of view.maps) {
      expect([m.heads, m.length, m.weights.length]).toEqual([4, 5, 4 * 5 * 5]);
      for (let h = 0; h < m.heads; h++) {
        for (let i = 0; i < 5; i++) {
          const row = Array.from(m.weights.subarray((h * 5 + i) * 5, (h * 5 + i + 1) * 5));
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
          for (let j = i + 1; j < 5; j++) expect(row[j]).toBeLessThan(1e-6);
        }
      }
    }
    // The first position can only look at itself.
    expect(view.maps[0].weights[0]).toBeCloseTo(1, 5);
  });

  it('keeps the last positions of a long text and refuses unknown characters by name', async () => {
    const view = await attentionView(trainer, 'abcdefghijklmnopqrstuvwxyzabcdefghij', nodeAssets);
    expect(view.tokens.length).toBe(Math.min(ATTENTION_MAX_LENGTH, 16));
    expect(view.tokens.join('')).toBe('uvwxyzabcdefghij');
    await expect(attentionView(trainer, 'Zoe', nodeAssets)).rejects.toThrow(/unknown characters "Z"/);
  });
});

describe('denoising frames of the 2-D diffusion model', () => {
  it('run from the starting noise to exactly the sample that sampling gives', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const doc = example('ddpm-2d.json');
    const small = { ...doc, nodes: doc.nodes.map((n) => (n.type === 'noiseSchedule' ? { ...n, params: { ...n.params, sampler: 'ddim', sampleSteps: 20 } } : n)) };
    expect((await trainer.load({ ...small, training: { ...small.training, batchSize: 32 } })).ok).toBe(true);
    await trainer.step(2);
    const before = tf.memory().numTensors;
    const run = await denoisingFrames(trainer, 24, 5, 8);
    expect(tf.memory().numTensors).toBe(before);
    expect(run.steps).toBe(20);
    expect(run.frames.map((f) => f.done)).toEqual([0, 3, 6, 9, 11, 14, 17, 20]);
    const { batch } = await trainer.sample({ count: 24, seed: 5 });
    const last = run.frames[run.frames.length - 1].batch;
    expect(last.kind === 'points' && batch.kind === 'points' && Array.from(last.data)).toEqual(batch.kind === 'points' && Array.from(batch.data));
    const noise = run.frames[0].batch;
    if (noise.kind !== 'points') throw new Error('expected points');
    const sd = Math.sqrt(noise.data.reduce((a, v) => a + v * v, 0) / noise.data.length);
    expect(sd).toBeGreaterThan(0.6);
    expect(sd).toBeLessThan(1.4);
    // Every frame owns its arrays, so the worker can transfer them all.
    const buffers = run.frames.flatMap((f) => (f.batch.kind === 'points' ? [f.batch.data.buffer, f.batch.real.buffer] : []));
    expect(new Set(buffers).size).toBe(buffers.length);
    trainer.dispose();
  });
});
