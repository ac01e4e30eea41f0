// Text with one line per example reads the same in the exported data.py as in Genloom's batcher, and
// PyTorch's cross-entropy leaves out the same padding with the same mean. Runs Debian's python3-torch;
// without it (outside CI) the test is skipped with a message.
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { createBatcher } from '../../runtime/data/batcher';
import { loadTextDataset, withHeldOutLines } from '../../runtime/data/text';
import { npy } from '../../runtime/export/pytorch/npy';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { idCrossEntropy } from '../../nodes/reduce';
import { loadExample, variant } from '../learning/helpers-learning';
import { hasTorch, PYTHON, writeProject } from './harness';

const T = 12;
const ROWS = 64;

// Every training item of data.py, and PyTorch's loss on logits given to it.
const RUN = `import json, sys
import numpy as np, torch, torch.nn.functional as F
import data
ds = data.load("text", "train")
items = [[t.tolist(), y.tolist()] for t, y in (ds[i] for i in range(len(ds)))]
logits = torch.from_numpy(np.load("logits.npy"))
ids = torch.from_numpy(np.load("ids.npy")).long()
loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids.reshape(-1), ignore_index=-1).item()
print(json.dumps({"items": items, "loss": loss}))
`;

let dir = '';

describe.skipIf(!hasTorch)('one line per example in the PyTorch export', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'genloom-lines-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the batcher's examples and the same masked mean loss", async () => {
    const doc = variant(loadExample('gpt-names.json'), {}, { text: { examples: 'lines', contextLength: T } });
    const { files } = await exportPytorch(doc, nodeAssets);
    expect(files!.get('train.py')).toContain('ignore_index=-1');
    await writeProject(files!, dir);
    const names = await loadTextDataset('names', nodeAssets);
    const batch = tf.tidy(() => {
      const b = createBatcher({ text: { text: names, contextLength: T, perLine: true } }, 5).batch('text', ROWS, 'train');
      return { tokens: Array.from(b.tokens.dataSync()), targets: Array.from(b.targets.dataSync()) };
    });
    const V = names.tokenizer.vocabSize;
    const logits = Float32Array.from({ length: ROWS * T * V }, (_, i) => Math.sin(i * 0.37) * 3);
    await writeFile(join(dir, 'logits.npy'), npy(logits, [ROWS, T, V]));
    await writeFile(join(dir, 'ids.npy'), npy(Int32Array.from(batch.targets), [ROWS, T]));
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', RUN], {
      cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20,
    });
    const got = JSON.parse(stdout) as { items: [number[], number[]][]; loss: number };

    expect(got.items).toHaveLength(names.train.starts!.length); // every training name is one item
    const items = new Set(got.items.map(([t, y]) => JSON.stringify([t, y])));
    for (let r = 0; r < ROWS; r++) {
      const row = JSON.stringify([batch.tokens.slice(r * T, (r + 1) * T), batch.targets.slice(r * T, (r + 1) * T)]);
      expect(items.has(row), `row ${r}: ${row}`).toBe(true);
    }
    expect(batch.targets).toContain(-1);
    const ours = tf.tidy(() => idCrossEntropy(tf.tensor3d(logits, [ROWS, T, V]), tf.tensor2d(batch.targets, [ROWS, T], 'int32')).dataSync()[0]);
    expect(Math.abs(ours - got.loss)).toBeLessThan(1e-5);
  }, 120_000);

  it('holds out the same names as Genloom when heldOutLines is set', async () => {
    const doc = variant(loadExample('gpt-names.json'), {}, { text: { examples: 'lines', contextLength: T, heldOutLines: 300 } });
    const { files } = await exportPytorch(doc, nodeAssets);
    const held = join(dir, 'held');
    await writeProject(files!, held);
    const script = 'import json, data\nds = data.load("text", "test")\nprint(json.dumps([ds[i][0].tolist() for i in range(len(ds))]))\n';
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', script], { cwd: held, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
    const names = await loadTextDataset('names', nodeAssets);
    const tok = names.tokenizer;
    const theirs = (JSON.parse(stdout) as number[][]).map((row) => tok.decode(row.slice(1), '\n').split('\n')[0]);
    const ours = tok.decode(withHeldOutLines(names, 300).test.tokens, '\n').split('\n').filter((l) => l.length > 0);
    expect(theirs).toHaveLength(300);
    expect(new Set(theirs)).toEqual(new Set(ours));
  }, 120_000);
});
