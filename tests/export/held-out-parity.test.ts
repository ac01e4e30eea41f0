// The exported train.py reads a corpus of lines' held-out loss as Genloom does: at the last step every
// held-out line once, each chunk weighted by its real targets, so the figure it prints is the one
// Genloom measures on the weights it wrote; while training, the same first lines every time. Runs
// Debian's python3-torch; without it (outside CI) the test is skipped with a message.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { bundleFromJSON } from '../../runtime/cli/model-files';
import { nodeAssets } from '../../runtime/data/assets-node';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { loadExample, loadTrainer, variant } from '../learning/helpers-learning';
import { hasTorch, PYTHON, writeProject } from './harness';

const HELD_OUT = 300;

let dir = '';

/** held-out.csv's rows: the step, then each objective's value. */
async function heldOutRows(out: string): Promise<number[][]> {
  const [, ...rows] = (await readFile(join(out, 'held-out.csv'), 'utf8')).trim().split('\n');
  return rows.map((r) => r.split(',').map(Number));
}

describe.skipIf(!hasTorch)("train.py's held-out loss on a corpus of lines", () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'genloom-held-out-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is measured on every held-out line at the end, and on the same first lines before, as Genloom measures', async () => {
    // Batches of 8 lines: the whole split is 38 chunks, the live reading the first 32 lines.
    const doc = variant(loadExample('gpt-names.json'), { evalEvery: 2, batchSize: 8 }, { text: { examples: 'lines', contextLength: 12, heldOutLines: HELD_OUT } });
    const { files } = await exportPytorch(doc, nodeAssets);
    await writeProject(files!, dir);
    // Training is deterministic under a seed: the shorter run's weights are the longer run's at its step 4.
    const train = (steps: number, out: string) =>
      promisify(execFile)(PYTHON, ['train.py', '--steps', String(steps), '--out', out, '--log-every', String(steps)], {
        cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20,
      });
    const { stdout } = await train(4, 'short');
    await train(6, 'long');
    expect(stdout).toContain(`held out (all ${HELD_OUT} held-out examples)`);
    const short = await heldOutRows(join(dir, 'short'));
    const long = await heldOutRows(join(dir, 'long'));
    expect(short.map((r) => r[0])).toEqual([2, 4]);
    expect(long.map((r) => r[0])).toEqual([2, 4, 6]);

    const trainer = await loadTrainer(doc);
    try {
      await trainer.importWeights(bundleFromJSON(await readFile(join(dir, 'short', 'weights.json'), 'utf8')));
      const final = trainer.finalEvaluation(4, 'base');
      expect(final.wholeSplit).toBe(HELD_OUT);
      // Weighting chunks by lines instead of by their targets moves this figure by 5e-4.
      expect(Math.abs(short[1][1] - final.losses['loss.loss'])).toBeLessThan(1e-4);
      const live = trainer.evaluate(4, 'base');
      expect(Math.abs(long[1][1] - live['loss.loss'])).toBeLessThan(1e-4);
      // The two readings of the same weights differ: the live one is not the whole split.
      expect(Math.abs(long[1][1] - short[1][1])).toBeGreaterThan(1e-3);
    } finally {
      trainer.dispose();
    }
  }, 120_000);
});
