// The DCGAN example runs on wasm: a few steps give finite losses, the tensor count stays flat, and
// samples are 28×28×1 images inside tanh's range. (Learning to draw digits takes minutes, not a test.)
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

describe('DCGAN on MNIST example', () => {
  it('trains a few steps with finite losses and samples images in [-1, 1]', async () => {
    const trainer = await loadTrainer(variant(loadExample('dcgan-mnist.json'), { batchSize: 16 }));
    const nets = Object.fromEntries(trainer.compiled!.networks.map((n) => [n.name, n.model]));
    expect(Object.keys(nets).sort()).toEqual(['discriminator', 'generator']);
    expect(nets.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    const report = await run(trainer, 3);
    console.log(`dcgan-mnist: ${report.msPerStep.toFixed(0)} ms/step at batch 16 on wasm, losses ${JSON.stringify(report.last)}`);
    expect(Object.keys(report.last).sort()).toEqual(['loss.discriminator', 'loss.generator']);
    for (const v of Object.values(report.last)) expect(Number.isFinite(v)).toBe(true);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);

    const alive = tf.memory().numTensors;
    const { batch } = await trainer.sample({ count: 8, seed: 4 });
    expect(tf.memory().numTensors).toBe(alive);
    expect(batch.kind).toBe('images');
    if (batch.kind !== 'images') return;
    expect([batch.count, batch.height, batch.width, batch.channels]).toEqual([8, 28, 28, 1]);
    expect(batch.data.length).toBe(8 * 28 * 28);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of batch.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThanOrEqual(1);
    // Not a constant image: the generator's output depends on its input.
    expect(hi - lo).toBeGreaterThan(0.01);
    trainer.dispose();
  });
});
