// The ring GAN example (non-saturating loss with an R1 penalty, γ = 1) covers the ring: on 1,000 of
// its own samples after its 2,000 steps it covers at least six of the eight Gaussians (modeCoverage:
// ≥2% of samples within 3σ of a centre), and training does not leak tensors. Measured on wasm at
// 2,000 steps: this run (training seed 1) 8/8 with 50% of samples within 3σ. Other random draws
// (seeds 2 and 3, or seed 1 with samples drawn during training) gave 4/8 (19%) to 8/8 (51%), so the
// bound holds for this seed, not for every seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { modeCoverage, RING_CENTRES, RING_SIGMA } from '../../runtime/data/procedural';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 2000;

describe('GAN on the ring of 8 Gaussians', () => {
  it(`covers at least 6 of 8 modes after ${STEPS} steps, with a flat tensor count`, async () => {
    const trainer = await loadTrainer(variant(loadExample('gan-ring.json'), { steps: STEPS }));
    const report = await run(trainer, STEPS);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    const { batch } = await trainer.sample({ count: 1000, seed: 3 });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    const cov = modeCoverage(batch.data, RING_CENTRES, RING_SIGMA);
    console.log(
      `gan-ring: ${cov.covered}/8 modes, ${(100 * cov.highQuality).toFixed(1)}% of samples within 3σ of a mode after ${STEPS} steps, ` +
        `${(1000 / report.msPerStep).toFixed(1)} steps/s on wasm; per mode ${cov.perMode.map((f) => f.toFixed(3)).join(' ')}`,
    );
    // A collapsed or untrained generator covers 0–1 modes with a few % of samples near any
    // (5% after 500 steps); a spread-out one covers modes with few samples near them.
    expect(cov.covered).toBeGreaterThanOrEqual(6);
    expect(cov.highQuality).toBeGreaterThan(0.35);
    trainer.dispose();
  }, 600_000);
});
