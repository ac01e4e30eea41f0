// The one-click design fixes turn a default-settings GAN that cannot learn into one that does.
// Measured on wasm, training seed 1, 1,000 samples drawn with seed 3, after 300 steps at the
// default settings (batch 64, Adam 2e-4): as wired, 1.9% of samples lie within ±0.25 of the
// ring's radius and 0.1% within 3σ of a centre; fixed, 14.3% and 0.4%. Neither covers a mode by
// modeCoverage's rule (≥2% of samples within 3σ = 0.12 of a centre) this early: nor does the
// ring example itself (0/8 at 300 and 600 steps, 1.1% and 1.7% within 3σ; it needs its 3,000).
// So the test asks for the ring taking shape, and reports the mode coverage beside it.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../runtime/compiler/analyze';
import { applyDesignFix, designChecks } from '../../runtime/compiler/design-checks';
import { modeCoverage, modesOf, pointSettingsOf } from '../../runtime/data/procedural';
import type { GraphDocument } from '../../runtime/graph/document';
import { defaultSettingsGan } from '../fixtures/default-gan';
import { loadTrainer, run, useWasm, variant } from './helpers-learning';

beforeAll(useWasm);

const STEPS = 300;

async function after(doc: GraphDocument): Promise<{ covered: number; nearCentre: number; onRing: number }> {
  // Judged against the ring the graph's dataset node describes.
  const settings = pointSettingsOf(doc.nodes.find((n) => n.params.dataset === 'ring')!.params);
  const ring = modesOf('ring', settings)!;
  const trainer = await loadTrainer(variant(doc, { steps: STEPS }));
  const report = await run(trainer, STEPS);
  expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
  const { batch } = await trainer.sample({ count: 1000, seed: 3 });
  trainer.dispose();
  if (batch.kind !== 'points') throw new Error(`expected points, got ${batch.kind}`);
  const n = batch.data.length / 2;
  let onRing = 0;
  for (let i = 0; i < n; i++) if (Math.abs(Math.hypot(batch.data[2 * i], batch.data[2 * i + 1]) - settings.ringRadius) < 0.25) onRing++;
  const cov = modeCoverage(batch.data, ring.centres, ring.sigma);
  return { covered: cov.covered, nearCentre: cov.highQuality, onRing: onRing / n };
}

describe('design fixes on a default-settings GAN', () => {
  it(`make its samples take the ring's shape within ${STEPS} steps`, async () => {
    let fixed = defaultSettingsGan();
    for (const w of designChecks(fixed, analyze(fixed))) if (w.fix) fixed = applyDesignFix(fixed, w.fix);
    expect(designChecks(fixed, analyze(fixed))).toEqual([]);
    const before = await after(defaultSettingsGan());
    const now = await after(fixed);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `default GAN after ${STEPS} steps: as wired ${pct(before.onRing)} on the ring, ${pct(before.nearCentre)} within 3σ, ${before.covered}/8 modes; ` +
        `fixed ${pct(now.onRing)}, ${pct(now.nearCentre)}, ${now.covered}/8 modes`,
    );
    // A linear generator makes a Gaussian blob: few samples at the ring's radius.
    expect(now.onRing).toBeGreaterThan(0.08);
    expect(now.onRing).toBeGreaterThan(3 * before.onRing);
    expect(now.nearCentre).toBeGreaterThan(before.nearCentre);
  }, 600_000);
});
