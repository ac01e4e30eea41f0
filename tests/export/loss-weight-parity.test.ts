// min-SNR loss weights in the PyTorch export: the exported add_noise gives each example the weight
// Genloom gives an example at the same step, for every prediction kind, and the loss line train.py
// writes weighs the same errors to the same value as Genloom's noise prediction loss. Runs Debian's
// python3-torch; without it (outside CI) the test is skipped with a message.
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { lossWeight, noisePrediction } from '../../nodes/diffusion/nodes';
import { makeSchedule } from '../../nodes/diffusion/schedules';
import { runContext } from '../diffusion/run-context';
import { loadExample } from '../learning/helpers-learning';
import { hasTorch, PYTHON, writeProject } from './harness';

const N = 64;
const GAMMA = 3;

// Steps and weights from the exported add_noise; then the exported loss line on fixed errors.
const RUN = `import json, math, re, sys
import torch
import train
ab = torch.cumprod(1 - train.cosine_betas(1000), dim=0).float()
out = {}
for kind in ("eps", "x0", "v"):
    torch.manual_seed(0)
    _, t, _, w = train.add_noise(torch.zeros(${N}, 1, 28, 28), ab, kind, min_snr=${GAMMA})
    out[kind] = {"t": t.view(-1).tolist(), "w": w.view(-1).tolist()}
line = next(l.strip() for l in open("train.py") if l.strip().startswith("loss_mse ="))
names = re.findall(r"\\(\\((\\w+) - (\\w+)\\) \\*\\* 2\\)", line)[0] + (re.match(r"loss_mse = \\((\\w+)\\.view", line).group(1),)
pred = torch.tensor([[math.sin(i * 0.7 + j) for j in range(6)] for i in range(4)])
target = torch.tensor([[math.cos(i * 0.3 + j) for j in range(6)] for i in range(4)])
weight = torch.tensor([[0.5], [2.0], [1.0], [0.25]])
scope = {names[0]: pred, names[1]: target, names[2]: weight}
exec(line, {}, scope)
out["loss"] = scope["loss_mse"].item()
out["line"] = line
print(json.dumps(out))
`;

let dir = '';

describe.skipIf(!hasTorch)('min-SNR loss weights in the PyTorch export', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'genloom-minsnr-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('weighs each step and each loss as Genloom does', async () => {
    const doc = loadExample('ddpm-mnist-small.json');
    const noise = doc.nodes.find((n) => n.type === 'addNoise')!;
    expect(noise.params).toMatchObject({ weighting: 'min-snr' });
    const { files } = await exportPytorch(doc, nodeAssets);
    await writeProject(files!, dir);
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', RUN], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const got = JSON.parse(stdout) as Record<'eps' | 'x0' | 'v', { t: number[]; w: number[] }> & { loss: number; line: string };

    const bars = makeSchedule('cosine', 1000).alphaBars;
    for (const kind of ['eps', 'x0', 'v'] as const) {
      const { t, w } = got[kind];
      const ours = tf.tidy(() => Array.from(lossWeight('min-snr', kind, tf.tensor1d(t.map((s) => bars[s])), GAMMA).dataSync()));
      // Steps on both sides of the cap, so the test sees the clamp and the division.
      expect(t.some((s) => bars[s] / (1 - bars[s]) > GAMMA) && t.some((s) => bars[s] / (1 - bars[s]) < GAMMA)).toBe(true);
      for (let i = 0; i < N; i++) expect(Math.abs(w[i] - ours[i]), `${kind} step ${t[i]}`).toBeLessThan(1e-4 * Math.max(1, ours[i]));
    }

    const [obj] = noisePrediction.objectives!({});
    const ours = tf.tidy(() => {
      const pred = tf.tensor2d(Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 0.7 + j))));
      const eps = tf.tensor2d(Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.cos(i * 0.3 + j))));
      const weight = tf.tensor2d([[0.5], [2.0], [1.0], [0.25]]);
      return obj.loss(runContext(noisePrediction, { pred, eps, weight })).dataSync()[0];
    });
    expect(Math.abs(got.loss - ours), got.line).toBeLessThan(1e-5);
  }, 120_000);
});
