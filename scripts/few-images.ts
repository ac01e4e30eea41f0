// Teachable Machine's case measured headless: a few labelled images per class stand in for an upload
// (taken from Fashion-MNIST's training set), and the "Your own images" graph learns them three ways:
// its new head on the MNIST classifier's locked features (--checkpoint), the same graph from scratch
// (locked random features), and every layer trained from scratch. Held-out cross-entropy is measured on
// images of the test set none of them saw.
//   npx tsx scripts/few-images.ts --checkpoint out/clf-mnist/checkpoint.json [--per-class 10] [--steps 300] [--seed 1]
import { readFileSync } from 'node:fs';
import { initNodeBackend } from '../runtime/backend/select-node';
import { loadDataset, type DataSplit, type LoadedDataset } from '../runtime/data/datasets';
import { nodeAssets } from '../runtime/data/assets-node';
import { parseGraph } from '../runtime/graph/load';
import type { GraphDocument } from '../runtime/graph/document';
import { bundleOf, parseCheckpoint } from '../runtime/train/checkpoint';
import { Trainer } from '../runtime/train/trainer';

const arg = (name: string, fallback?: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const checkpointFile = arg('checkpoint');
if (!checkpointFile) throw new Error('usage: npx tsx scripts/few-images.ts --checkpoint FILE [--per-class N] [--steps N] [--seed N]');
const perClass = Number(arg('per-class', '10'));
const steps = Number(arg('steps', '300'));
const seed = Number(arg('seed', '1'));
const EVAL_BATCHES = 31; // × batch 32: 992 test images

/** The first `n` examples of each class of `split`, in order. */
function fewPerClass(split: DataSplit, classes: number, n: number, size: number): DataSplit {
  const picked: number[] = [];
  const seen = new Array<number>(classes).fill(0);
  for (let i = 0; i < split.count && picked.length < classes * n; i++) {
    const c = split.labels![i];
    if (seen[c] < n) {
      seen[c]++;
      picked.push(i);
    }
  }
  const x = new Float32Array(picked.length * size);
  picked.forEach((src, dst) => x.set(split.x.subarray(src * size, (src + 1) * size), dst * size));
  return { x, labels: Int32Array.from(picked, (i) => split.labels![i]), count: picked.length };
}

async function run(label: string, doc: GraphDocument, upload: LoadedDataset, transfer: boolean): Promise<void> {
  const trainer = new Trainer({ reader: nodeAssets, evalBatches: EVAL_BATCHES });
  trainer.userData.set('few', upload);
  const r = await trainer.load(doc);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  if (transfer) {
    const report = trainer.transferWeights(bundleOf(parseCheckpoint(readFileSync(checkpointFile!, 'utf8'))));
    if (!report.loaded.includes('hidden')) throw new Error(`hidden was not loaded: ${JSON.stringify(report)}`);
  }
  const curve: string[] = [];
  for (let done = 0; done < steps; ) {
    const n = Math.min(50, steps - done);
    await trainer.step(n);
    done += n;
    curve.push(`${done}:${trainer.evaluate()['loss.loss'].toFixed(3)}`);
  }
  console.log(`${label.padEnd(34)} ${curve.join(' ')}`);
  trainer.dispose();
}

await initNodeBackend('wasm');
const fashion = await loadDataset('fashion-mnist', nodeAssets);
const size = 28 * 28;
const classes = fashion.info.classes!;
const upload: LoadedDataset = {
  ...fashion,
  info: { ...fashion.info, name: 'upload' },
  train: fewPerClass(fashion.train, classes, perClass, size),
  test: fewPerClass(fashion.test, classes, Math.floor(EVAL_BATCHES * 32 / classes) + 1, size),
};
const base = parseGraph(readFileSync('examples/finetune-own-images.json', 'utf8')).doc!;
const names = Array.from({ length: classes }, (_, i) => `class${i}`).join(', ');
const doc: GraphDocument = {
  ...base,
  nodes: base.nodes.map((n) => (n.id === 'data' ? { ...n, params: { ...n.params, dataset: 'upload', uploadName: 'few', uploadCount: upload.train.count, uploadClasses: names } } : n)),
  training: { ...base.training, seed, steps },
};
const unlocked: GraphDocument = { ...doc, nodes: doc.nodes.map(({ frozen: _frozen, ...n }) => n) };
console.log(`${upload.train.count} uploaded images (${perClass} a class), ${upload.test.count} held out; seed ${seed}, ${steps} steps; held-out cross-entropy (nats) every 50 steps`);
await run('MNIST features locked, new head', doc, upload, true);
await run('random features locked, new head', doc, upload, false);
await run('every layer from scratch', unlocked, upload, false);
