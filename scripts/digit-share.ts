// The share of a generator's samples that the fixed MNIST classifier puts in one digit (its most
// probable class), for one or more weights files of the same graph, each judged on the same fixed-seed
// noise as the feedback loop's before and after figures.
//   npx tsx scripts/digit-share.ts <graph.json> <digit> <weights.json> [more weights.json ...]
import { readFile } from 'node:fs/promises';
import { initNodeBackend } from '../runtime/backend/select-node';
import { readBundle } from '../runtime/cli/model-files';
import { nodeAssets } from '../runtime/data/assets-node';
import { EVAL_SAMPLES } from '../runtime/feedback/loop';
import { parseGraph } from '../runtime/graph/load';
import { CLASSIFIER_CLASSES, classifierFromRecord, classifierLogits, classifierRecord } from '../runtime/metrics/classifier';
import { Trainer } from '../runtime/train/trainer';

/** The feedback loop's evaluation seed, so these shares describe the samples its reward figures judged. */
const EVAL_SEED = 9_001;

async function main(argv: string[]): Promise<void> {
  const [graphPath, digitText, ...weights] = argv;
  const digit = Number(digitText);
  if (!graphPath || !Number.isInteger(digit) || digit < 0 || digit > 9 || weights.length === 0)
    throw new Error('usage: npx tsx scripts/digit-share.ts <graph.json> <digit 0–9> <weights.json> [more weights.json ...]');
  await initNodeBackend('wasm', { threads: 1 });
  const parsed = parseGraph(await readFile(graphPath, 'utf8'));
  if (!parsed.doc) throw new Error(`${graphPath}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const classifier = classifierFromRecord(await classifierRecord('mnist'));
  for (const file of weights) {
    const trainer = new Trainer({ reader: nodeAssets, backend: 'wasm' });
    const loaded = await trainer.load(parsed.doc);
    if (!loaded.ok) throw new Error(`${graphPath} does not compile`);
    await trainer.importWeights(await readBundle(file));
    const { batch } = await trainer.sample({ count: EVAL_SAMPLES, seed: EVAL_SEED });
    if (batch.kind !== 'images') throw new Error(`${graphPath}: expected a generator of images, got ${batch.kind}`);
    const logits = classifierLogits(classifier, batch.data, batch.count);
    const counts = new Array<number>(CLASSIFIER_CLASSES).fill(0);
    for (let i = 0; i < batch.count; i++) {
      const row = Array.from(logits.subarray(i * CLASSIFIER_CLASSES, (i + 1) * CLASSIFIER_CLASSES));
      counts[row.indexOf(Math.max(...row))]++;
    }
    console.log(JSON.stringify({ weights: file, samples: batch.count, digit, share: counts[digit] / batch.count, classCounts: counts }));
    trainer.dispose();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
