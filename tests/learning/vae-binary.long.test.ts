// The Kingma & Welling VAE (examples/vae-mnist-binary.json: 784-400-20, Bernoulli decoder, dynamic
// binarization, all 60,000 training digits) learns within a short budget, measured as the CLI measures
// it: the held-out negative ELBO on 1,000 test digits, with the importance-weighted bound (k = 100)
// beside it, which may not be looser than the ELBO. The goal is −ELBO ≤ 110; 2,000 steps measured 111.1
// (IWAE 104.4, seed 1), and 3,000 steps with a cosine decay 111.4, so the test holds the run to 113 and
// the goal needs a longer run than this tier's budget.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trainer } from '../../runtime/train/trainer';
import { loadExample, loadTrainer, run, useWasm, variant, type RunReport } from './helpers-learning';

const STEPS = 2000;
const BOUND = 113;

let trainer: Trainer;
let report: RunReport;

beforeAll(async () => {
  await useWasm();
  trainer = await loadTrainer(variant(loadExample('vae-mnist-binary.json'), { steps: STEPS }));
  report = await run(trainer, STEPS);
});

afterAll(() => trainer?.dispose());

describe('vae-mnist-binary learns', () => {
  it(`has a held-out −ELBO ≤ ${BOUND} nats after ${STEPS} steps`, () => {
    const alive = tf.memory().numTensors;
    const bounds = trainer.familyMetrics();
    expect(tf.memory().numTensors).toBe(alive);
    const { heldOutNegElbo: elbo, heldOutNegIwae100: iwae } = bounds;
    console.log(
      `vae-mnist-binary after ${STEPS} steps: held-out −ELBO ${elbo.toFixed(2)}, IWAE(k=100) ${iwae.toFixed(2)} nats/digit; ` +
        `${(1000 / report.msPerStep).toFixed(1)} steps/s on wasm`,
    );
    expect(report.tensorsAfterLast).toBe(report.tensorsAfterFirst);
    expect(iwae).toBeLessThanOrEqual(elbo);
    expect(elbo).toBeLessThanOrEqual(BOUND);
  });
});
