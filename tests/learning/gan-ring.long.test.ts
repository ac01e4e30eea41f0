// The ring GAN example (non-saturating loss with an R1 penalty, γ = 1, Adam 5e-4) covers the ring:
// on 1,000 of its own samples after its 3,000 steps it covers at least seven of the eight Gaussians
// (modeCoverage: ≥2% of samples within 3σ of a centre) with over 40% of samples within 3σ of one,
// and training does not leak tensors. Measured on wasm at 3,000 steps, samples drawn with seed 3:
// training seed 1 (this test) 8/8 with 62.5% within 3σ; seeds 2, 3 and 4 gave 8/8 with 62.0%, 53.2%
// and 65.8%. At 1e-3 the modes kept being lost and found again (8/8 then 3/8 five hundred steps
// later), and at 2,500 steps of 5e-4 one seed had 7/8 with 32.5%, so the bounds need all 3,000 steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { modeCoverage, modesOf, pointSettingsOf } from '../../runtime/data/procedural';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 3000;

describe('GAN on the ring of 8 Gaussians', () => {
  it(`covers at least 7 of 8 modes after ${STEPS} steps, with a flat tensor count`, async () => {
    const doc = variant(loadExample('gan-ring.json'), { steps: STEPS });
    // Scored against the ring the example trains on (its dataset node's radius and σ).
    const data = doc.nodes.find((n) => n.params.dataset === 'ring')!;
    const ring = modesOf('ring', pointSettingsOf(data.params))!;
    const trainer = await loadTrainer(doc);
    const report = await run(trainer, STEPS);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    const { batch } = await trainer.sample({ count: 1000, seed: 3 });
    expect(batch.kind).toBe('points');
    if (batch.kind !== 'points') return;
    const cov = modeCoverage(batch.data, ring.centres, ring.sigma);
    console.log(
      `gan-ring: ${cov.covered}/8 modes, ${(100 * cov.highQuality).toFixed(1)}% of samples within 3σ of a mode after ${STEPS} steps, ` +
        `${(1000 / report.msPerStep).toFixed(1)} steps/s on wasm; per mode ${cov.perMode.map((f) => f.toFixed(3)).join(' ')}`,
    );
    // A collapsed or untrained generator covers 0–1 modes with a few % of samples near any
    // (5% after 500 steps); a spread-out one covers modes with few samples near them.
    expect(cov.covered).toBeGreaterThanOrEqual(7);
    expect(cov.highQuality).toBeGreaterThan(0.4);
    trainer.dispose();
  });
});
