// The ring GAN example learns more than one mode: on 1,000 of its own samples after a CI-sized run
// it covers several of the eight Gaussians (modeCoverage: ≥2% of samples within 3σ of a centre),
// and training does not leak tensors.
import { beforeAll, describe, expect, it } from 'vitest';
import { modeCoverage, RING_CENTRES, RING_SIGMA } from '../../runtime/data/procedural';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 1200;

describe('GAN on the ring of 8 Gaussians', () => {
  it(`covers several modes after ${STEPS} steps, with a flat tensor count`, async () => {
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
    // A collapsed or untrained generator covers 0–1 modes with a few % of samples near any.
    expect(cov.covered).toBeGreaterThanOrEqual(5);
    expect(cov.highQuality).toBeGreaterThan(0.25);
    trainer.dispose();
  }, 600_000);
});
