// Every example exports and trains under a 2-process gloo torchrun for 20 steps with no hand edits:
// exit code 0, the same parameters on both ranks, finite losses, falling ones where 20 steps show it,
// and the weights it writes load back into the graph in Genloom.
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { bundleFromJSON } from '../../runtime/cli/model-files';
import { importWeights } from '../../runtime/train/weights';
import { loadExample } from '../learning/helpers-learning';
import { hasTorch, writeProject } from './harness';
import { getNodeDef } from '../../nodes/registry';
import { resolveParams } from '../../nodes/params';
import { torchrun } from './torchrun';

const EXAMPLES = readdirSync(join(import.meta.dirname, '../../examples')).filter((f) => f.endsWith('.json'));
/** Examples whose objectives fall visibly within 20 steps (a GAN's losses need not). */
const FALLING = ['classifier-mnist.json', 'vae-mnist-16d.json', 'vae-mnist-2d.json', 'vae-mnist-binary.json', 'gpt-names.json', 'gpt-moby-dick.json', 'ddpm-2d.json'];
const STEPS = 20;
/** Feedback examples also run a round (sample, rate, fit the reward model, fine-tune), shortened. */
const ROUNDS: [string, string][] = [['--rounds', '1'], ['--reward-steps', '10'], ['--tune-steps', '5']];
/** The round settings a train.py takes (DPO fits no reward model, so it has no --reward-steps). */
const roundArgs = (train: string) => ROUNDS.filter(([flag]) => train.includes(`"${flag}"`)).flat();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
let root = '';

describe.skipIf(!hasTorch)('exported examples under torchrun (2 processes, gloo)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'genloom-torchrun-'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it.each(EXAMPLES)('%s trains for 20 steps and its weights open in Genloom', async (file) => {
    const doc = loadExample(file);
    const { files, diagnostics } = await exportPytorch(doc, nodeAssets);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const dir = join(root, file.replace('.json', ''));
    await writeProject(files!, dir);
    const feedback = files!.has('preferences.py');
    const run = await torchrun(dir, ['--steps', String(STEPS), '--log-every', '1', ...(feedback ? roundArgs(files!.get('train.py') as string) : [])]);

    expect(run.checksums.size).toBe(2);
    expect(run.checksums.get(0)).toBe(run.checksums.get(1));
    for (const [key, values] of Object.entries(run.losses)) {
      expect(values, key).toHaveLength(STEPS);
      expect(values.every(Number.isFinite), `${key}: ${values.join(' ')}`).toBe(true);
    }
    if (doc.training.evalEvery > 0) {
      // Held out at the last step, averaged over both ranks; a fine-tune's own objective is left out.
      const [header, ...rows] = (await readFile(join(dir, 'out', 'held-out.csv'), 'utf8')).trim().split('\n');
      expect(rows.map((r) => Number(r.split(',')[0])), header).toEqual([STEPS]);
      expect(header.split(',').slice(1).every((k) => k in run.losses), header).toBe(true);
      expect(rows[0].split(',').slice(1).map(Number).every(Number.isFinite), rows[0]).toBe(true);
    }
    if (feedback) {
      // One row for the round, with the pairs rated in it; every rank holds the same pairs (the checksums
      // above include the reward model and the fine-tuned model).
      const [header, ...rows] = (await readFile(join(dir, 'out', 'feedback.csv'), 'utf8')).trim().split('\n');
      const rater = doc.nodes.find((n) => n.type === 'preferences')!;
      expect(rows.map((r) => Number(r.split(',')[1])), header).toEqual([resolveParams(getNodeDef('preferences')!, rater.params).params.roundPairs]);
      for (const row of rows) expect(row.split(',').slice(2).map(Number).every(Number.isFinite), `${header}\n${row}`).toBe(true);
    }
    if (FALLING.includes(file)) {
      const total = Array.from({ length: STEPS }, (_, i) => Object.values(run.losses).reduce((a, v) => a + v[i], 0));
      expect(mean(total.slice(-5)), total.join(' ')).toBeLessThan(mean(total.slice(0, 5)));
    }

    const { compiled } = compile(doc);
    try {
      await importWeights(compiled!, bundleFromJSON(await readFile(join(dir, 'out', 'weights.json'), 'utf8')));
    } finally {
      compiled!.dispose();
    }
  }, 600_000);
});
