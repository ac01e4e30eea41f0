// Measures the feedback loop over seeds, on the small graphs of the slow test tier
// (tests/learning/feedback.long.test.ts): the ring GAN steered right through a reward model, and the
// names GPT steered toward names ending in "a" by DPO, or by REINFORCE against a reward model (rl), at
// several β. Each seed trains its base once; every β starts from those same weights. Prints one JSON
// line a run, then mean ± standard deviation.
//   npx tsx scripts/feedback-seeds.ts [--seeds 1,2,3] [--betas 0.1,0.3,1,3] [--only ring|names|rl] [--threads N]
import { initNodeBackend } from '../runtime/backend/select-node';
import { nodeAssets } from '../runtime/data/assets-node';
import { runFeedbackLoop, type FeedbackReport } from '../runtime/feedback/loop';
import { meanStd } from '../runtime/feedback/measure';
import type { GraphDocument } from '../runtime/graph/document';
import { Trainer } from '../runtime/train/trainer';
import { dpoGptDoc, reinforceGptDoc, rewardGanDoc } from '../tests/feedback/graphs';

const RING_BASE_STEPS = 400;
const NAMES_BASE_STEPS = 300;
const NAMES_MAX_TOKENS = 11;

function listArg(argv: string[], name: string, fallback: number[]): number[] {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = (argv[i + 1] ?? '').split(',').map(Number);
  if (v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new Error(`${name} expects numbers separated by commas, got "${argv[i + 1]}"`);
  return v;
}

function ringDoc(seed: number): GraphDocument {
  const g = rewardGanDoc({ duringFineTune: true });
  g.nodes.find((x) => x.id === 'loss')!.params = { lrD: 2e-3, lrG: 2e-3, duringFineTune: true };
  g.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'points', rater: 'x-coordinate', tau: 0, roundPairs: 50, rewardSteps: 150, tuneSteps: 60 };
  g.training = { ...g.training, seed };
  return g;
}

function namesDoc(seed: number, beta: number): GraphDocument {
  const d = dpoGptDoc({ beta });
  d.training = { ...d.training, batchSize: 16, learningRate: 0.005, seed };
  d.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'text', rater: 'ends-in-a', contextLength: 12, roundPairs: 50, rewardSteps: 0, tuneSteps: 30 };
  d.nodes.find((x) => x.id === 'dpo')!.params = { beta, learningRate: 0.001 };
  return d;
}

function rlDoc(seed: number, beta: number): GraphDocument {
  const d = reinforceGptDoc({ beta });
  d.training = { ...d.training, batchSize: 16, learningRate: 0.005, seed };
  d.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'text', rater: 'ends-in-a', contextLength: 12, roundPairs: 50, rewardSteps: 100, tuneSteps: 30 };
  d.nodes.find((x) => x.id === 'rl')!.params = { beta, learningRate: 0.001 };
  return d;
}

async function loaded(d: GraphDocument): Promise<Trainer> {
  const trainer = new Trainer({ reader: nodeAssets });
  const res = await trainer.load(d);
  const errors = res.diagnostics.filter((x) => x.severity === 'error');
  if (errors.length) throw new Error(errors.map((x) => x.message).join('; '));
  return trainer;
}

interface Row {
  graph: string;
  seed: number;
  beta: number;
  fb: FeedbackReport;
}

function figures(fb: FeedbackReport): Record<string, number | null> {
  return {
    accuracy: fb.rewardModelHeldOutAccuracy,
    spearman: fb.rewardSpearman,
    rewardBefore: fb.trueRewardBefore,
    rewardAfter: fb.trueRewardAfter,
    riseInStd: (fb.trueRewardAfter - fb.trueRewardBefore) / fb.trueRewardStd,
    tuneSeconds: fb.tuneSeconds,
    rewardSeconds: fb.rewardSeconds,
    kl: fb.klToReference,
    drift: fb.baseLossBefore !== null && fb.baseLossAfter !== null ? fb.baseLossAfter / fb.baseLossBefore - 1 : null,
  };
}

function summarise(rows: Row[]): void {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(`${r.graph} β=${r.beta}`, [...(groups.get(`${r.graph} β=${r.beta}`) ?? []), r]);
  for (const [name, group] of groups) {
    const cols = Object.keys(figures(group[0].fb));
    const parts = cols.map((c) => {
      const v = group.map((r) => figures(r.fb)[c]).filter((x): x is number => x !== null);
      if (v.length === 0) return `${c} n/a`;
      const { mean, std } = meanStd(v);
      return `${c} ${mean.toFixed(3)} ± ${std.toFixed(3)}`;
    });
    console.log(`${name} (seeds ${group.map((r) => r.seed).join(',')}): ${parts.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seeds = listArg(argv, '--seeds', [1, 2, 3]);
  const betas = listArg(argv, '--betas', [0.1, 0.3, 1, 3]);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  const threads = listArg(argv, '--threads', [1])[0];
  await initNodeBackend('wasm', { threads });
  const rows: Row[] = [];
  const record = (r: Row) => {
    rows.push(r);
    console.log(JSON.stringify({ graph: r.graph, seed: r.seed, beta: r.beta, ...figures(r.fb), fb: { ...r.fb, history: undefined } }));
  };
  for (const seed of seeds) {
    if (only === null || only === 'ring') {
      const trainer = await loaded(ringDoc(seed));
      await trainer.train(RING_BASE_STEPS);
      record({ graph: 'ring', seed, beta: 0.1, fb: await runFeedbackLoop(trainer, { rounds: 4, seed }) });
      trainer.dispose();
    }
    for (const [graph, make] of [['names', namesDoc], ['rl', rlDoc]] as const) {
      if (only !== null && only !== graph) continue;
      const base = await loaded(make(seed, betas[0]));
      await base.train(NAMES_BASE_STEPS);
      const weights = await base.exportWeights();
      base.dispose();
      for (const beta of betas) {
        const trainer = await loaded(make(seed, beta));
        await trainer.importWeights(weights);
        record({ graph, seed, beta, fb: await runFeedbackLoop(trainer, { rounds: 4, seed, maxTokens: NAMES_MAX_TOKENS }) });
        trainer.dispose();
      }
    }
  }
  summarise(rows);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
