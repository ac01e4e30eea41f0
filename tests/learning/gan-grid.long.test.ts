// The grid GAN example on PacGAN's 5×5 grid (σ = 0.05 at {−4, −2, 0, 2, 4}²), scored as PacGAN
// scores it on 2,500 samples. Its figures at full length (6,000 steps, then its discriminator's
// calibration) are the CLI's, in the example's description.
// This runs the recipe over STEPS steps (the cosine decay then ends there) and CALIBRATION calibration
// steps, and asks of the samples drawn through rejection sampling that calibrating the discriminator
// keeps more of them near a centre:
// the claim calibration exists for, on a generator whose off-mode samples lie on the lines between
// modes, where the penalised discriminator of training scores them almost as it scores the modes.
import { beforeAll, describe, expect, it } from 'vitest';
import { modeQuality } from '../../runtime/metrics/modes';
import { modesOf, pointSettingsOf } from '../../runtime/data/procedural';
import { loadExample, loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

// Calibration steps update the discriminator alone, at about twice the speed of a training step:
// the test buys its margin with them. Seed 1 after 2,000 steps, calibrated 500 to 3,000 steps: 19.8%,
// 27.5%, 31.7%, 36.8%, 44.2% and 56.2% within 3σ (1,200 training steps: 29.9% after 3,000 calibration
// steps; 1,800: 46.1%).
const STEPS = 2000;
const CALIBRATION = 3000;

describe('GAN on the 5×5 grid of Gaussians', () => {
  it(`keeps more samples near a centre once its discriminator is calibrated (${STEPS} + ${CALIBRATION} steps)`, async () => {
    const example = loadExample('gan-grid.json');
    const loss = example.nodes.find((n) => n.type === 'adversarial')!;
    expect(Number(loss.params.calibrationSteps)).toBeGreaterThan(0);
    const doc = variant(example, { steps: STEPS }, { [loss.id]: { calibrationSteps: CALIBRATION } });
    const data = doc.nodes.find((n) => n.params.dataset === 'grid')!;
    const grid = modesOf('grid', pointSettingsOf(data.params))!;
    const trainer = await loadTrainer(doc);
    const quality = async (what: string, plain: boolean) => {
      const { batch } = await trainer.sample({ count: 2500, seed: 3, plain });
      if (batch.kind !== 'points') throw new Error(`the grid GAN drew ${batch.kind}, not points`);
      const q = modeQuality(batch.data, grid.centres, grid.sigma);
      console.log(`gan-grid ${what} at step ${trainer.status.step}: ${q.modesHit}/25 modes hit, ${q.modesCovered}/25 with ≥ 1%, ${(100 * q.highQuality).toFixed(1)}% within 3σ`);
      return q;
    };
    await run(trainer, STEPS);
    const plain = await quality('straight from the generator', true);
    const before = await quality('through rejection sampling', false);
    const report = await run(trainer, CALIBRATION);
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    expect(trainer.status).toMatchObject({ step: STEPS + CALIBRATION, state: 'done' });
    const after = await quality('through rejection sampling, calibrated', false);
    // Seed 1: 24, 23 and 25 modes hit; 10.7%, 13.6% and 56.2% within 3σ (2,500 + 2,500 steps: 17.3%,
    // 22.5% and 58.8%). At 3,000 + 4,000 steps 25, 24 and 25 modes; 13.3%, 14.9% and 52.3%; with the
    // earlier 2 × 128 discriminator 26.9%, 33.4% and 43.5%: the wider one trains a worse generator by
    // step 3,000 but calibrates to a far sharper ratio.
    expect(after.modesHit).toBeGreaterThanOrEqual(23);
    expect(after.modesHit).toBeGreaterThanOrEqual(plain.modesHit - 1);
    expect(after.highQuality).toBeGreaterThan(before.highQuality + 0.2);
    expect(after.highQuality).toBeGreaterThan(0.4);
    trainer.dispose();
  });
});
