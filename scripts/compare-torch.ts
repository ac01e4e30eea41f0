// Genloom against its PyTorch export on one graph: for each seed, the exported train.py (one process)
// and `npm run train` each train the same number of steps, and both weights.json are then measured the
// same way, here, by Genloom: held-out losses, the family's likelihood, and the quality figures.
//   npm run compare-torch -- examples/gan-ring.json --steps 1000 --seeds 1,2,3 [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { initNodeBackend } from '../runtime/backend/select-node';
import { bundleFromJSON } from '../runtime/cli/model-files';
import { nodeAssets } from '../runtime/data/assets-node';
import { exportPytorch } from '../runtime/export/pytorch/project';
import { parseGraph } from '../runtime/graph/load';
import { qualityMeterFor } from '../runtime/metrics/quality';
import { measureQuality } from '../runtime/train/live-quality';
import { Trainer } from '../runtime/train/trainer';

const PYTHON = '/usr/bin/python3';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const graph = process.argv[2];
const steps = Number(option('--steps'));
const seeds = (option('--seeds') ?? '1').split(',').map(Number);
if (!graph || !(steps > 0) || seeds.some((s) => !Number.isInteger(s))) {
  console.error('usage: npm run compare-torch -- <graph.json> --steps N [--seeds 1,2,3] [--out DIR]');
  process.exit(2);
}
const out = resolve(option('--out') ?? join('out', 'compare-torch', graph.replace(/^.*\//, '').replace(/\.json$/, '')));
const parsed = parseGraph(readFileSync(graph, 'utf8'));
if (!parsed.doc) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
const doc = parsed.doc;

/** Genloom's figures for the weights in `file`: the same code whichever trainer wrote them. */
async function measure(file: string, seed: number): Promise<Record<string, number>> {
  const trainer = new Trainer({ reader: nodeAssets, backend: 'wasm' });
  const loaded = await trainer.load({ ...doc, training: { ...doc.training, seed } });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
  await trainer.importWeights(bundleFromJSON(readFileSync(file, 'utf8')));
  const figures: Record<string, number> = {};
  for (const [k, v] of Object.entries(trainer.finalEvaluation(8, 'base').losses)) figures[`held-out ${k}`] = v;
  for (const [k, v] of Object.entries(trainer.familyMetrics())) figures[k] = v;
  const meter = await qualityMeterFor(trainer.compiled!);
  if (meter) {
    try {
      const { figures: q } = await measureQuality(meter, (r) => trainer.sample(r), trainer.compiled!.sampling?.settings.classes, seed + 1);
      Object.assign(figures, q);
    } finally {
      meter.dispose();
    }
  }
  return figures;
}

const { files, diagnostics } = await exportPytorch(doc, nodeAssets);
if (!files) throw new Error(diagnostics.map((d) => d.message).join('; '));
const project = join(out, 'project');
for (const [path, content] of files) {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}
await initNodeBackend('wasm');

const rows: { seed: number; who: string; seconds: number; figures: Record<string, number> }[] = [];
for (const seed of seeds) {
  const torchOut = join(out, `torch-${seed}`);
  const genloomOut = join(out, `genloom-${seed}`);
  // One BLAS thread as well: OpenBLAS's own threads spin against each other on a loaded machine.
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  let t0 = performance.now();
  execFileSync(PYTHON, ['train.py', '--steps', String(steps), '--seed', String(seed), '--out', torchOut, '--log-every', String(steps)], { cwd: project, env, stdio: 'inherit' });
  const torchSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  execFileSync('node', ['--import', 'tsx', 'runtime/cli/train.ts', graph, '--steps', String(steps), '--seed', String(seed), '--out', genloomOut, '--quiet', '--samples', '64'], { stdio: 'inherit' });
  const genloomSeconds = (performance.now() - t0) / 1000;
  rows.push({ seed, who: 'PyTorch export', seconds: torchSeconds, figures: await measure(join(torchOut, 'weights.json'), seed) });
  rows.push({ seed, who: 'Genloom', seconds: genloomSeconds, figures: await measure(join(genloomOut, 'weights.json'), seed) });
  console.log(JSON.stringify(rows.slice(-2)));
}

const keys = [...new Set(rows.flatMap((r) => Object.keys(r.figures)))];
const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return `${m.toPrecision(4)} ± ${sd.toPrecision(2)}`;
};
const lines = [`${doc.name}: ${steps} steps, seeds ${seeds.join(', ')} (mean ± sd over seeds)`, `| figure | PyTorch export | Genloom |`, '|---|---|---|'];
for (const k of keys) lines.push(`| ${k} | ${stats(rows.filter((r) => r.who !== 'Genloom').map((r) => r.figures[k]))} | ${stats(rows.filter((r) => r.who === 'Genloom').map((r) => r.figures[k]))} |`);
writeFileSync(join(out, 'comparison.json'), JSON.stringify({ graph, steps, seeds, rows }, null, 2));
console.log(lines.join('\n'));
