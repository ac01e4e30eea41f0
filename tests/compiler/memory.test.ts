// The memory budget refuses graphs too large for memory before a single weight is allocated.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { analyzeChecked } from '../../runtime/compiler/analyze';
import { compile } from '../../runtime/compiler/compile';
import { DEFAULT_BUDGET, estimateMemory, MiB } from '../../runtime/compiler/memory';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { example } from '../cli/fixtures';
import { doc, e, n } from './docs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** Points → dense(units) → dense(units) → dense(2), reconstructing the points. */
function wideMlp(units: number) {
  return doc(
    [n('data', 'dataset', { dataset: 'ring' }), n('a', 'dense', { units }), n('b', 'dense', { units }), n('c', 'dense', { units: 2 }), n('loss', 'reconstruction')],
    [e('data.x', 'a.in'), e('a.out', 'b.in'), e('b.out', 'c.in'), e('c.out', 'loss.pred'), e('data.x', 'loss.target')],
    { batchSize: 16 },
  );
}

const EXAMPLES = ['classifier-mnist', 'dcgan-mnist', 'ddpm-2d', 'ddpm-mnist', 'gan-ring', 'gpt-moby-dick', 'gpt-names', 'vae-mnist-16d', 'vae-mnist-2d', 'wgan-grid'];

describe('memory estimate', () => {
  it('counts weights with their gradient and optimizer slots, and activations by batch', () => {
    const { analysis, checked } = analyzeChecked(wideMlp(64));
    const small = estimateMemory(analysis, checked, 16);
    const big = estimateMemory(analysis, checked, 1600);
    // b holds 64·64 + 64 weights; each costs 4 floats (weight, gradient, two Adam moments).
    expect(small.nodes.find((x) => x.nodeId === 'b')?.weights).toBe((64 * 64 + 64) * 4 * 4);
    expect(big.weights).toBe(small.weights);
    expect(big.activations).toBeCloseTo(small.activations * 100, 6);
  });

  it('lets every example train under the browser default', () => {
    for (const name of EXAMPLES) {
      const d = example(name);
      const { analysis, checked } = analyzeChecked(d);
      expect(estimateMemory(analysis, checked, d.training.batchSize).total, name).toBeLessThan(DEFAULT_BUDGET.browser / 8);
    }
  });
});

describe('memory budget', () => {
  it('refuses two stacked dense layers of 65,536 units at once, naming them, with nothing allocated', () => {
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const { compiled, diagnostics } = compile(wideMlp(65536), undefined, { memoryBudget: DEFAULT_BUDGET.node });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(compiled).toBeNull();
    const d = diagnostics.find((x) => x.code === 'memory-budget');
    expect(d?.nodeId).toBe('b');
    expect(d?.message).toMatch(/needs about 64\.\d GiB/);
    expect(d?.message).toMatch(/over the memory budget of 2\.0 GiB/);
    expect(d?.message).toContain('"b"');
    expect(d?.message).toMatch(/fewer units/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a batch of 100,000 on the VAE through the trainer, before loading data', async () => {
    const d = example('vae-mnist-2d');
    d.training.batchSize = 100_000;
    const trainer = new Trainer({ reader: nodeAssets, memoryBudget: DEFAULT_BUDGET.node });
    const t0 = performance.now();
    const { ok, diagnostics } = await trainer.load(d);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(ok).toBe(false);
    const msg = diagnostics.find((x) => x.code === 'memory-budget')?.message ?? '';
    expect(msg).toMatch(/activations at batch 100000/);
    expect(msg).toMatch(/a smaller batch size/);
    trainer.dispose();
  });

  it('accepts the same VAE at its own batch size under a small budget', () => {
    const { compiled, diagnostics } = compile(example('vae-mnist-2d'), undefined, { memoryBudget: 64 * MiB });
    expect(diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    compiled?.dispose();
  });
});
