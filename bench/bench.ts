// The benchmark itself: for each example, Genloom's compiled pipeline, the hand-written tfjs
// equivalent and PyTorch, timed in alternating windows after a warm-up so that load on a shared
// machine falls on all three alike; plus load time, sampling time, kernels and memory.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../runtime/backend/select-node';
import { loadCompiled } from './compiled';
import { countStepFlops } from './flops';
import { HANDWRITTEN } from './handwritten';
import { machineInfo, type MachineInfo } from './machine';
import { sampleTask, torchSpec } from './specs';
import { startTorch, torchVersion, type TorchClient } from './torch-client';
import { TORCHRUN_PROCESSES, torchrunStepsPerSecond } from './torchrun';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const EXAMPLES_DIR = join(BENCH_DIR, '..', 'examples');
/** Graphs that exist only for the bench (reference models that are not examples). */
const GRAPHS_DIR = join(BENCH_DIR, 'graphs');
/** Small examples with every baseline: what --quick runs unless --only says otherwise. */
const QUICK_SET = ['gan-ring', 'vae-mnist-2d', 'ddpm-2d', 'gpt-names'];

export interface BenchOptions {
  quick: boolean;
  only?: string[];
  torch?: boolean;
  /** XNNPACK threads for Genloom's and the hand-written tfjs paths (default 1). */
  threads?: number;
  log?: (line: string) => void;
}

interface PathResult {
  stepsPerSecond: number;
  gflopsPerSecond: number;
  threads: number;
  steps: number;
}

interface TfPathResult extends PathResult {
  kernelsPerStep: number;
  tfPeakMB: number;
}

export interface ExampleResult {
  name: string;
  title: string;
  batchSize: number;
  gflopPerStep: number;
  compiled: TfPathResult & { loadToFirstStepMs: number };
  handwritten: (TfPathResult & { loadToFirstStepMs: number }) | { missing: string };
  torch: PathResult | { missing: string };
  /** The exported PyTorch project (train.py) under torchrun on 2 gloo processes, one thread each. */
  torchrun: { stepsPerSecond: number; steps: number } | { missing: string };
  /** Medians over the timing rounds of per-round ratios. */
  compiledOverHandwritten: number | null;
  genloomOverTorch: number | null;
  sampling: { what: string; ms: number };
  memory: { rssPeakMB: number; tfPeakMB: number };
  rounds: number;
}

export interface BenchResult {
  date: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  notes: string[];
  examples: ExampleResult[];
}

interface Timing {
  warmup: number;
  rounds: number;
  windowMs: number;
}

const FULL: Timing = { warmup: 3, rounds: 5, windowMs: 2000 };
const QUICK: Timing = { warmup: 1, rounds: 2, windowMs: 400 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

let rssPeak = 0;
const noteRss = () => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss()));

/** Steps for at least `ms` (and at least one step); returns [steps, ms]. */
function window(step: () => void, ms: number): [number, number] {
  const t0 = performance.now();
  let n = 0;
  do {
    step();
    n++;
    noteRss();
  } while (performance.now() - t0 < ms);
  return [n, performance.now() - t0];
}

async function profileStep(step: () => void): Promise<{ kernels: number; peakMB: number }> {
  const before = tf.memory().numBytes;
  const p = await tf.profile(() => {
    step();
  });
  return { kernels: p.kernels.length, peakMB: mb(Math.max(p.peakBytes, before)) };
}

/** Every benchable graph by name: the examples, then the bench's own graphs. */
function graphFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [EXAMPLES_DIR, GRAPHS_DIR])
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')))
      if (!files.has(basename(f, '.json'))) files.set(basename(f, '.json'), join(dir, f));
  return files;
}

/** The graph file of a bench entry (an example or one of the bench's own graphs). */
export function graphPath(name: string): string {
  const file = graphFiles().get(name);
  if (!file) throw new Error(`no graph "${name}" in ${EXAMPLES_DIR} or ${GRAPHS_DIR}`);
  return file;
}

function exampleNames(opts: BenchOptions): string[] {
  const all = [...graphFiles().keys()].sort();
  if (opts.only?.length) {
    const unknown = opts.only.filter((n) => !all.includes(n));
    if (unknown.length) throw new Error(`no graph ${unknown.map((n) => `"${n}"`).join(', ')} in ${EXAMPLES_DIR} or ${GRAPHS_DIR} (have: ${all.join(', ')})`);
    return opts.only;
  }
  return opts.quick ? QUICK_SET.filter((n) => all.includes(n)) : all;
}

async function benchExample(name: string, timing: Timing, quick: boolean, torch: TorchClient | null, torchMissing: string): Promise<ExampleResult> {
  rssPeak = 0;
  const compiled = await loadCompiled(graphPath(name));
  const doc = compiled.graph.doc;
  const B = doc.training.batchSize;
  const { flopsPerStep } = countStepFlops(compiled);
  const gflop = flopsPerStep / 1e9;

  const build = HANDWRITTEN[name];
  let hand: Awaited<ReturnType<NonNullable<typeof build>>> | null = null;
  let handLoadMs = 0;
  if (build) {
    const t0 = performance.now();
    hand = await build({ batchSize: B, seed: doc.training.seed });
    hand.step();
    handLoadMs = performance.now() - t0;
  }
  const spec = torch ? torchSpec(name, compiled) : null;
  let torchReady = false;
  let torchWhy = torchMissing;
  if (torch && spec) {
    const r = await torch.request({ cmd: 'setup', spec });
    torchReady = r.ok === true;
    if (!torchReady) torchWhy = `PyTorch failed: ${String(r.error)}`;
  } else if (torch) torchWhy = 'no PyTorch version written';

  for (let i = 0; i < timing.warmup; i++) {
    compiled.step();
    hand?.step();
  }
  const cProf = await profileStep(compiled.step);
  const hProf = hand ? await profileStep(hand.step) : null;

  const c = { steps: 0, ms: 0 };
  const h = { steps: 0, ms: 0 };
  const t = { steps: 0, ms: 0 };
  const chRatios: number[] = [];
  const ctRatios: number[] = [];
  for (let r = 0; r < timing.rounds; r++) {
    const [cn, cms] = window(compiled.step, timing.windowMs);
    c.steps += cn;
    c.ms += cms;
    if (hand) {
      const [hn, hms] = window(hand.step, timing.windowMs);
      h.steps += hn;
      h.ms += hms;
      chRatios.push(cn / cms / (hn / hms));
    }
    if (torchReady) {
      const res = await torch!.request({ cmd: 'run', name, seconds: timing.windowMs / 1000, minSteps: 1 });
      if (typeof res.steps === 'number' && typeof res.seconds === 'number') {
        t.steps += res.steps;
        t.ms += res.seconds * 1000;
        ctRatios.push((cn * 1000) / cms / (res.steps / res.seconds));
      } else {
        torchReady = false;
        torchWhy = `PyTorch failed: ${String(res.error)}`;
      }
    }
  }
  if (torch && spec) await torch.request({ cmd: 'drop', name });

  const task = sampleTask(name, compiled, quick);
  const s0 = performance.now();
  await task.run(compiled);
  const sampleMs = performance.now() - s0;
  noteRss();

  const rate = (p: { steps: number; ms: number }) => (p.steps * 1000) / p.ms;
  const path = (p: { steps: number; ms: number }, threads: number): PathResult => ({
    stepsPerSecond: rate(p),
    gflopsPerSecond: rate(p) * gflop,
    threads,
    steps: p.steps,
  });
  // About 5 s of the exported project's loop, from the single-process PyTorch speed (or Genloom's).
  const exportSteps = Math.min(1000, Math.max(20, Math.round(5 * (torchReady && t.steps > 0 ? rate(t) : rate(c)))));
  const torchrun = torch ? await torchrunStepsPerSecond(graphPath(name), exportSteps) : { missing: torchWhy };
  const result: ExampleResult = {
    name,
    title: doc.name,
    batchSize: B,
    gflopPerStep: gflop,
    compiled: { ...path(c, 1), kernelsPerStep: cProf.kernels, tfPeakMB: cProf.peakMB, loadToFirstStepMs: compiled.loadToFirstStepMs },
    handwritten:
      hand && hProf
        ? { ...path(h, 1), kernelsPerStep: hProf.kernels, tfPeakMB: hProf.peakMB, loadToFirstStepMs: handLoadMs }
        : { missing: 'no hand-written version' },
    torch: torchReady && t.steps > 0 ? path(t, torch!.threads) : { missing: torchWhy },
    torchrun,
    compiledOverHandwritten: chRatios.length ? median(chRatios) : null,
    genloomOverTorch: ctRatios.length && torchReady ? median(ctRatios) : null,
    sampling: { what: task.what, ms: sampleMs },
    memory: { rssPeakMB: mb(rssPeak), tfPeakMB: Math.max(cProf.peakMB, hProf?.peakMB ?? 0) },
    rounds: timing.rounds,
  };
  hand?.dispose();
  compiled.dispose();
  return result;
}

export const threadCount = (n: number): string => `${n} thread${n === 1 ? '' : 's'}`;

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const log = opts.log ?? (() => {});
  const timing = opts.quick ? QUICK : FULL;
  const names = exampleNames(opts);
  const wasm = await initNodeBackend('wasm', { threads: opts.threads ?? 1 });
  let torch: TorchClient | null = null;
  let torchMissing = 'PyTorch not requested';
  if (opts.torch !== false) {
    const v = torchVersion();
    if (v.version) torch = startTorch(BENCH_DIR, v.version);
    else torchMissing = `PyTorch unavailable: ${v.reason}`;
  }
  const examples: ExampleResult[] = [];
  try {
    for (const name of names) {
      log(`${name} …`);
      const r = await benchExample(name, timing, opts.quick, torch, torchMissing);
      examples.push(r);
      log(`${name}: ${r.compiled.stepsPerSecond.toFixed(2)} steps/s`);
    }
  } finally {
    torch?.close();
  }
  return {
    date: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    machine: machineInfo(wasm, torch?.version ?? torchMissing, torch ? torch.threads : null),
    notes: [
      `Timing: ${timing.warmup} warm-up steps per path, then ${timing.rounds} rounds of ${timing.windowMs} ms windows alternating Genloom, hand-written tfjs and PyTorch; ratios are medians of per-round ratios.`,
      `Genloom and hand-written tfjs run on tfjs-wasm in Node with ${threadCount(wasm.threads)}; PyTorch on the CPU with torch.set_num_threads(2) and OPENBLAS_NUM_THREADS=1.`,
      `"export × ${TORCHRUN_PROCESSES}": the example exported as a PyTorch project and trained by its train.py under torchrun on ${TORCHRUN_PROCESSES} gloo processes of one thread each, the batch split between them; the speed of its training loop as train.py reports it, run after the timing windows, not alternating with them.`,
      'GFLOP per step is analytic (bench/flops.ts): dense, conv, transposed conv and attention matmuls, 2 FLOPs a multiply-add, backward counted as 2× forward; element-wise work is not counted. The same figure is used for all three paths.',
      'Load → first step: parse + compile + data load + one training step. Kernels per step and tf peak MB come from tf.profile of one step. RSS peak is the process (all paths of the example together).',
    ],
    examples,
  };
}
