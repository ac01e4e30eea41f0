// The MNIST MLP classifier learns: held-out cross-entropy falls from chance (ln 10 ≈ 2.30 nats)
// to well below it in a short run of the example graph.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 300;
const EVAL_BATCHES = 16;
const CHANCE = Math.log(10);

describe('MNIST classifier example learns', () => {
  it(`held-out cross-entropy falls below 0.6 nats (chance: ln 10 = 2.30) in ${STEPS} steps`, async () => {
    const trainer = await loadTrainer(variant(loadExample('classifier-mnist.json'), { steps: STEPS }));
    expect(trainer.compiled!.networks.map((n) => [n.name, n.model.countParams()])).toEqual([['model', 784 * 128 + 128 + 128 * 10 + 10]]);
    const before = trainer.evaluate(EVAL_BATCHES)['loss.loss'];
    // Untrained, it does no better than guessing (random initial scores can do worse).
    expect(before).toBeGreaterThan(CHANCE - 0.2);
    const report = await run(trainer, STEPS);
    const after = trainer.evaluate(EVAL_BATCHES)['loss.loss'];
    console.log(
      `classifier-mnist: held-out CE ${before.toFixed(3)} → ${after.toFixed(3)} nats in ${STEPS} steps, ` +
        `${report.msPerStep.toFixed(1)} ms/step on wasm, tensors ${report.tensorsAfterFirst} → ${report.tensorsAfterLast}`,
    );
    expect(after).toBeLessThan(0.6);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    expect(tf.memory().numTensors).toBe(report.tensorsAfterLast);
    trainer.dispose();
  });
});
