// The ring GAN example on PacGAN's ring (8 Gaussians of σ = 0.01 at radius 1), scored as PacGAN
// scores it: 2,500 samples, a sample is of high quality within 3σ of its nearest centre. The goal
// (8/8 modes with ≥ 90% of samples of high quality, PacGAN4's 95.9%) is out of reach in a CI-sized
// run: PacGAN trains for 400 epochs of 100,000 points at batch 100 (400,000 steps), this example
// for 3,000. So this tests the best honest bar: every mode found, and samples gathered near the
// modes far beyond what a spread over the ring gives (0.3–0.7% of samples within 3σ after 500–1,000 steps
// of a variant, while the samples still spread along the ring). Measured for seed 1: 8/8 modes, 25.4%
// (696 s at 4.3 steps/s under load average 11–12; some 36 steps/s on a quiet machine).
import { beforeAll, describe, expect, it } from 'vitest';
import { modeQuality } from '../../runtime/metrics/modes';
import { modesOf, pointSettingsOf, PUBLISHED_POINTS } from '../../runtime/data/procedural';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 3000;

describe('GAN on the ring of 8 Gaussians', () => {
  it(`finds all 8 modes of the published ring after ${STEPS} steps, with a flat tensor count`, async () => {
    const doc = variant(loadExample('gan-ring.json'), { steps: STEPS });
    const data = doc.nodes.find((n) => n.params.dataset === 'ring')!;
    expect(pointSettingsOf(data.params)).toEqual(PUBLISHED_POINTS);
    const ring = modesOf('ring', pointSettingsOf(data.params))!;
    const trainer = await loadTrainer(doc);
    const report = await run(trainer, STEPS);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    const { batch } = await trainer.sample({ count: 2500, seed: 3 });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    const q = modeQuality(batch.data, ring.centres, ring.sigma);
    console.log(
      `gan-ring: ${q.modesHit}/8 modes hit, ${q.modesCovered}/8 with ≥ 1%, ${(100 * q.highQuality).toFixed(1)}% of samples within 3σ ` +
        `after ${STEPS} steps, ${(1000 / report.msPerStep).toFixed(1)} steps/s on wasm; per mode ${q.counts.join(' ')}`,
    );
    expect(q.modesHit).toBe(8);
    expect(q.highQuality).toBeGreaterThan(0.15);
    trainer.dispose();
  });
});
