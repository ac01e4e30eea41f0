// The 2-D diffusion example learns: after a short run, points from its reverse process lie much
// nearer the held-out data than the N(0, I) noise they start from. And DDIM with η = 0 is a
// deterministic function of the seed when driven through the trainer.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../nodes/rng';
import type { Trainer } from '../../runtime/train/trainer';
import { loadExample, loadTrainer, meanNearestDistance, run, useWasm, variant, type RunReport } from './helpers-learning';

const STEPS = 1200;
const COUNT = 500;

let trainer: Trainer;
let report: RunReport;

beforeAll(async () => {
  await useWasm();
  const example = loadExample('ddpm-2d.json');
  trainer = await loadTrainer(variant(example, { steps: STEPS }, { schedule: { eta: 0 } }));
  report = await run(trainer, STEPS);
});

afterAll(() => trainer?.dispose());

function gaussianPoints(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 2 * count }, () => rng.normal());
}

describe('ddpm-2d learns the spiral', () => {
  it(`DDPM samples after ${STEPS} steps sit far nearer held-out points than N(0, I) noise`, async () => {
    const { batch } = await trainer.sample({ count: COUNT, seed: 21, sampler: 'ddpm' });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    expect(batch.real.length).toBeGreaterThanOrEqual(2 * 500);
    expect(batch.data.every(Number.isFinite)).toBe(true);
    const noise = meanNearestDistance(gaussianPoints(COUNT, 4), batch.real);
    const ddpm = meanNearestDistance(batch.data, batch.real);
    // Reported, not required: with the cosine schedule's last β clipped at 0.999, a DDIM jump from
    // t = T−1 multiplies the error of ε̂ by √(ᾱ_t'/ᾱ_{T−1}), which is large for few steps.
    const ddim = await trainer.sample({ count: COUNT, seed: 21, sampler: 'ddim', steps: 25 });
    const ddimDist = ddim.batch.kind === 'points' ? meanNearestDistance(ddim.batch.data, batch.real) : NaN;
    console.log(
      `ddpm-2d after ${STEPS} steps: nearest held-out distance noise ${noise.toFixed(3)}, DDPM ${ddpm.toFixed(3)} ` +
        `(${((100 * ddpm) / noise).toFixed(0)}%), DDIM-25 ${ddimDist.toFixed(3)}; ` +
        `${report.msPerStep.toFixed(1)} ms/step on wasm, tensors ${report.tensorsAfterFirst} → ${report.tensorsAfterLast}`,
    );
    expect(ddpm).toBeLessThan(0.5 * noise);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
  });

  it('DDIM with η = 0 gives the same points for the same seed, and others for another seed', async () => {
    const alive = tf.memory().numTensors;
    const req = { count: 64, sampler: 'ddim' as const, steps: 20 };
    const a = await trainer.sample({ ...req, seed: 9 });
    const b = await trainer.sample({ ...req, seed: 9 });
    const c = await trainer.sample({ ...req, seed: 10 });
    expect(tf.memory().numTensors).toBe(alive);
    const [pa, pb, pc] = [a, b, c].map(({ batch }) => {
      if (batch.kind !== 'points') throw new Error(`expected points, got ${batch.kind}`);
      return batch.data;
    });
    expect(Array.from(pb)).toEqual(Array.from(pa));
    const moved = pa.reduce((s, v, i) => s + Math.abs(v - pc[i]), 0) / pa.length;
    expect(moved).toBeGreaterThan(0.1);
  });
});
