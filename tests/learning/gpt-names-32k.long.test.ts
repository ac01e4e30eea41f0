// makemore's transformer (examples/gpt-names-32k.json: 4 blocks, width 64, 4 heads, context 16, one
// name per example, makemore's 1,000 held-out lines) learns within a short budget: its held-out loss ends
// at least 0.3 nats/char below a character bigram fitted on the same training split and scored on the
// whole held-out stream, the CLI's baseline (the goal's bar), the loss measured on every held-out name
// once. The warm-up and the cosine decay are shortened with the run. Seed 1 measured on the example's
// earlier split (distinct names, a tenth held out; bigram 2.458): 600 steps at batch 32 2.209 (0.25
// below), at batch 64 2.157 (0.30), 750 steps at batch 64 2.131 (0.33). On makemore's split (bigram
// 2.456), the 750 steps this test runs: 2.136 (0.32).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigramNats, fitBigram, unigramNats } from '../../runtime/data/bigram';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadTextDataset, withHeldOutLines } from '../../runtime/data/text';
import type { Trainer } from '../../runtime/train/trainer';
import { loadExample, loadTrainer, run, useWasm, variant, type RunReport } from './helpers-learning';

const STEPS = 750;
const MARGIN = 0.3;

const example = loadExample('gpt-names-32k.json');
const text = example.nodes.find((n) => n.id === 'text')!.params as { corpus: string; heldOutLines?: number };

let trainer: Trainer;
let report: RunReport;

beforeAll(async () => {
  await useWasm();
  // Without the example's dropout, which pays only over thousands of steps: with it, 750 steps reached
  // 2.182 (0.27 below the bigram).
  const blocks = Object.fromEntries(example.nodes.filter((n) => n.type === 'transformerBlock').map((n) => [n.id, { dropout: 0 }]));
  trainer = await loadTrainer(variant(example, { steps: STEPS, warmupSteps: 75, batchSize: 64 }, blocks));
  report = await run(trainer, STEPS);
});

afterAll(() => trainer?.dispose());

describe('gpt-names-32k learns', () => {
  it(`is ${MARGIN} nats/char below the bigram after ${STEPS} steps`, async () => {
    // The split training used: makemore's 1,000 held-out lines.
    const corpus = await loadTextDataset(text.corpus, nodeAssets);
    const names = text.heldOutLines ? withHeldOutLines(corpus, text.heldOutLines) : corpus;
    const V = names.tokenizer.vocabSize;
    const bigram = bigramNats(fitBigram(names.train.tokens, V), names.test.tokens);
    const unigram = unigramNats(names.train.tokens, names.test.tokens, V);
    // Every held-out name once, as the CLI reports it.
    const final = trainer.finalEvaluation(50);
    expect(final.wholeSplit).toBe(names.test.starts!.length);
    const held = final.losses['loss.loss'];
    console.log(
      `gpt-names-32k after ${STEPS} steps: held-out ${held.toFixed(3)} nats/char (${(held / Math.LN2).toFixed(3)} bits); ` +
        `bigram ${bigram.toFixed(3)}, unigram ${unigram.toFixed(3)}; ${(1000 / report.msPerStep).toFixed(1)} steps/s on wasm`,
    );
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    expect(unigram).toBeGreaterThan(bigram);
    expect(held).toBeLessThanOrEqual(bigram - MARGIN);
  });
});
