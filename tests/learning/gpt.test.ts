// The names GPT learns: after a short run its held-out loss is below that of a bigram model fitted
// on the same training split and scored on the very same held-out windows. And a trained model's
// weights, exported and imported into a freshly compiled graph, give back the same logits.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatcher } from '../../runtime/data/batcher';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadTextDataset, type TextDataset } from '../../runtime/data/text';
import type { GraphDocument } from '../../runtime/graph/document';
import type { Trainer } from '../../runtime/train/trainer';
import { Bigram } from './helpers-bigram';
import { loadExample, loadTrainer, run, useWasm, variant, type RunReport } from './helpers-learning';

const STEPS = 200;
const EVAL_BATCHES = 8;
const ALPHAS = [0.01, 0.1, 0.5, 1];

let doc: GraphDocument;
let trainer: Trainer;
let report: RunReport;
let names: TextDataset;

beforeAll(async () => {
  await useWasm();
  doc = variant(loadExample('gpt-names.json'), { steps: STEPS });
  names = await loadTextDataset('names', nodeAssets);
  trainer = await loadTrainer(doc);
  report = await run(trainer, STEPS);
});

afterAll(() => trainer?.dispose());

/** The model's forward pass on token ids [n, T] → logits [n, T, V], read out. */
function logitsOf(t: Trainer, tokens: Int32Array, n: number, T: number): Float32Array {
  const model = t.compiled!.networks[0].model;
  return tf.tidy(() => model.predict(tf.tensor2d(tokens, [n, T], 'int32')) as tf.Tensor).dataSync() as Float32Array;
}

/** Mean −log softmax(logits)[target] over rows of V logits. */
function crossEntropy(logits: Float32Array, targets: Int32Array, V: number): number {
  let s = 0;
  for (let r = 0; r < targets.length; r++) {
    const row = logits.subarray(r * V, (r + 1) * V);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    s += max + Math.log(z) - row[targets[r]];
  }
  return s / targets.length;
}

describe('gpt-names learns', () => {
  it(`held-out loss after ${STEPS} steps is below a bigram's on the same windows`, () => {
    const { batchSize, seed } = doc.training;
    const T = Number(doc.nodes.find((n) => n.id === 'text')!.params.contextLength);
    const V = names.tokenizer.vocabSize;
    // The trainer's batcher draws held-out windows from a stream seeded by (seed, node, split);
    // nothing has drawn from it yet, so a fresh batcher with the same seed yields the same windows.
    const replica = createBatcher({ text: { text: names, contextLength: T } }, seed);
    const inputs = new Int32Array(EVAL_BATCHES * batchSize * T);
    const targets = new Int32Array(inputs.length);
    for (let b = 0; b < EVAL_BATCHES; b++) {
      const batch = replica.batch('text', batchSize, 'test');
      inputs.set(batch.tokens.dataSync() as Int32Array, b * batchSize * T);
      targets.set(batch.targets.dataSync() as Int32Array, b * batchSize * T);
      tf.dispose(Object.values(batch));
    }
    const held = trainer.evaluate(EVAL_BATCHES)['loss.loss'];
    const direct = crossEntropy(logitsOf(trainer, inputs, inputs.length / T, T), targets, V);
    // The same number computed here from the replica windows proves they are the windows evaluated.
    expect(Math.abs(direct - held)).toBeLessThan(1e-3);
    // Every window starts at the end token, as sampling does: names are whole at the front.
    for (let w = 0; w < inputs.length; w += T) expect(inputs[w]).toBe(names.tokenizer.endToken);

    const bigrams = ALPHAS.map((a) => new Bigram(names.train.tokens, V, a).nll(inputs, targets));
    const best = Math.min(...bigrams);
    const uniform = Math.log(V);
    console.log(
      `gpt-names after ${STEPS} steps: held-out ${held.toFixed(3)} nats/char; bigram ` +
        ALPHAS.map((a, i) => `α=${a}: ${bigrams[i].toFixed(3)}`).join(', ') +
        `; uniform ${uniform.toFixed(3)}; ${report.msPerStep.toFixed(0)} ms/step on wasm, ` +
        `tensors ${report.tensorsAfterFirst} → ${report.tensorsAfterLast}`,
    );
    expect(best).toBeLessThan(uniform - 0.5);
    expect(held).toBeLessThan(best);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
  });

  it('samples names: letters only, one name each', async () => {
    const alive = tf.memory().numTensors;
    const { batch } = await trainer.sample({ count: 8, seed: 3, maxTokens: 20 });
    expect(tf.memory().numTensors).toBe(alive);
    if (batch.kind !== 'text') throw new Error(`expected text, got ${batch.kind}`);
    console.log(`gpt-names samples: ${batch.texts.join(', ')}`);
    expect(batch.texts).toHaveLength(8);
    for (const name of batch.texts) expect(name).toMatch(/^[a-z-]*$/);
  });

  it('exported weights, imported into a freshly compiled graph, give the same logits', async () => {
    const T = Number(doc.nodes.find((n) => n.id === 'text')!.params.contextLength);
    const probe = new Int32Array(2 * T);
    const encoded = names.tokenizer.encode('emma');
    probe.set(encoded, 1); // [end] e m m a [end] …
    probe.set(names.tokenizer.encode('oliver-jack'), T + 1);
    const trained = logitsOf(trainer, probe, 2, T);

    const bundle = await trainer.exportWeights();
    expect(bundle.tokenizer?.chars.join('')).toBe(names.tokenizer.chars.join(''));
    // As if written to disk and read back: the weights travel as bytes, not as live tensors.
    const copy = structuredClone(bundle);
    const fresh = await loadTrainer(doc);
    const untrained = logitsOf(fresh, probe, 2, T);
    const gap = trained.reduce((m, v, i) => Math.max(m, Math.abs(v - untrained[i])), 0);
    expect(gap).toBeGreaterThan(0.1);

    const alive = tf.memory().numTensors;
    await fresh.importWeights(copy);
    expect(tf.memory().numTensors).toBe(alive);
    expect(fresh.status.step).toBe(STEPS);
    const restored = logitsOf(fresh, probe, 2, T);
    expect(Array.from(restored)).toEqual(Array.from(trained));
    fresh.dispose();
  });
});
