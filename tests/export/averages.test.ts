// The weight average travels between Genloom and its PyTorch export: weights.json written by Genloom
// with an EMA loads into train.py's averaged network (--init), which writes it back, and the model
// Genloom imports then samples as before the round trip. A generator with batch norm checks that only
// trainable weights are averaged on both sides.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { bundleFromJSON, bundleToJSON } from '../../runtime/cli/model-files';
import { nodeAssets } from '../../runtime/data/assets-node';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';
import { hasTorch, PYTHON, writeProject } from './harness';

const gan = doc(
  [
    n('z', 'noise', { shape: [4] }),
    n('g1', 'dense', { units: 8 }),
    n('bn', 'batchNorm', {}),
    n('act', 'activation', { activation: 'relu' }),
    n('g2', 'dense', { units: 2 }),
    n('data', 'dataset', { dataset: 'ring' }),
    n('D', 'discriminator', {}, { width: 300, height: 300 }),
    n('d1', 'dense', { units: 8, activation: 'leakyRelu' }, { parentId: 'D' }),
    n('d2', 'dense', { units: 1 }, { parentId: 'D' }),
    n('loss', 'adversarial', { lrD: 0.05, lrG: 0.05 }),
  ],
  [
    e('z.z', 'g1.in'), e('g1.out', 'bn.in'), e('bn.out', 'act.in'), e('act.out', 'g2.in'), e('g2.out', 'D.fake'), e('data.x', 'D.real'),
    e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'D.innerOut'),
    e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
  ],
  { batchSize: 8, seed: 5, steps: 100, ema: 0.8 },
);

async function points(t: Trainer): Promise<number[]> {
  const { batch } = await t.sample({ count: 6, seed: 3 });
  return batch.kind === 'points' ? Array.from(batch.data) : [];
}

let dir = '';
beforeAll(async () => {
  await initNodeBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'genloom-averages-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasTorch)('weight averages through the PyTorch export (python3-torch)', () => {
  it('go into train.py with --init and come back in its weights.json', async () => {
    const source = new Trainer({ reader: nodeAssets });
    expect((await source.load(gan)).ok).toBe(true);
    await source.step(8);
    const expected = await points(source);
    await writeFile(join(dir, 'weights.json'), bundleToJSON(await source.exportWeights()));
    const { files } = await exportPytorch(gan, nodeAssets);
    await writeProject(files!, join(dir, 'project'));
    await promisify(execFile)(PYTHON, ['train.py', '--init', join(dir, 'weights.json'), '--steps', '0', '--out', join(dir, 'out')], { cwd: join(dir, 'project') });

    const back = bundleFromJSON(await readFile(join(dir, 'out', 'weights.json'), 'utf8'));
    expect(Object.keys(back.averages ?? {})).toEqual(['generator']);
    const target = new Trainer({ reader: nodeAssets });
    expect((await target.load(gan)).ok).toBe(true);
    // train.py counts its own steps (none here); sampling noise is seeded by the step, so take the source's.
    expect(back.step).toBe(0);
    back.step = source.status.step;
    await target.importWeights(back);
    const got = await points(target);
    expect(got).toHaveLength(expected.length);
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 4));
    // Without the averages the same file samples the live generator, which differs.
    await target.importWeights({ ...back, averages: undefined });
    expect((await points(target)).some((x, i) => Math.abs(x - expected[i]) > 1e-3)).toBe(true);
    source.dispose();
    target.dispose();
  }, 120_000);
});
