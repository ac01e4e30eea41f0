// The MNIST feedback example as shipped: it compiles into the three stages, its scripted rater asks
// the classifier about a 7 in 28×28×1 images, its conv reward model scores each image with one number,
// and the reward fine-tune moves only the generator, never the reward model or the frozen reference.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { example } from '../cli/fixtures';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** A 28×28 image in [-1, 1]: a dark field with one bright horizontal bar at row `row`. */
function bar(row: number): number[] {
  return Array.from({ length: 28 * 28 }, (_, i) => (Math.floor(i / 28) === row ? 1 : -1));
}

describe('examples/feedback-mnist.json', () => {
  it('steers the DCGAN generator with a conv reward model over images rated by the digit classifier', async () => {
    const doc = example('feedback-mnist');
    doc.training = { ...doc.training, batchSize: 4, sampleEvery: 0, evalEvery: 0 };
    const trainer = new Trainer({ reader: nodeAssets });
    const loaded = await trainer.load(doc);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(trainer.stages).toEqual(['base', 'reward', 'policy']);

    const pool = trainer.preferencePools.get('prefs')!;
    expect(pool.scripted?.rule).toBe('digit-probability');
    expect(pool.scripted?.settings.digit).toBe(7);
    expect(pool.exampleShape).toEqual([28, 28, 1]);

    const samples = [bar(3), bar(10), bar(17), bar(24)];
    const scored = trainer.preferenceScores('prefs', samples)!;
    expect(scored.score).toHaveLength(samples.length);
    expect(Array.from(scored.score).every(Number.isFinite)).toBe(true);

    pool.set = { ...pool.set, pairs: [{ chosen: samples[0], rejected: samples[1], rater: 'digit-probability' }, { chosen: samples[2], rejected: samples[3], rater: 'digit-probability' }] };
    const graph = trainer.compiled!;
    const model = (role: string) => graph.networks.find((n) => n.role === role)!.model;
    const g0 = weightsOf(model('generator'));
    const r0 = weightsOf(model('reward'));
    trainer.setStage('reward');
    await trainer.step(2);
    expect(weightsOf(model('generator'))).toEqual(g0);
    expect(weightsOf(model('reward'))).not.toEqual(r0);

    trainer.syncReferences();
    const ref = graph.references.copies.get('generator')!.model;
    const ref0 = weightsOf(ref);
    const r1 = weightsOf(model('reward'));
    trainer.setStage('policy');
    await trainer.step(1); // the first step makes the optimizer's moment slots
    const before = tf.memory().numTensors;
    await trainer.step(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(weightsOf(model('generator'))).not.toEqual(g0);
    expect(weightsOf(model('reward'))).toEqual(r1);
    expect(weightsOf(ref)).toEqual(ref0);
    trainer.dispose();
  });
});
