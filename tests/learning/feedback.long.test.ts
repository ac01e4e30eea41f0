// The feedback loop moves what it should, headless with scripted raters at τ → 0: a small ring GAN
// steered right by an x-coordinate rater through a reward model, and a small names GPT steered
// toward names ending in "a" by DPO. Each checks the reward model's held-out agreement, the true
// reward rising by at least one starting standard deviation, and a frozen reference left untouched.
// The names GPT is also steered by REINFORCE against a reward model fitted to the same kind of pairs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { runFeedbackLoop } from '../../runtime/feedback/loop';
import { Trainer } from '../../runtime/train/trainer';
import { dpoGptDoc, reinforceGptDoc, rewardGanDoc } from '../feedback/graphs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

async function trained(d: Parameters<Trainer['load']>[0], baseSteps: number): Promise<Trainer> {
  const trainer = new Trainer({ reader: nodeAssets });
  const res = await trainer.load(d);
  expect(res.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  await trainer.train(baseSteps);
  return trainer;
}

describe('learning from feedback', () => {
  it('steers a 2-D GAN to the right through a reward model', async () => {
    const g = rewardGanDoc({ duringFineTune: true });
    g.nodes.find((x) => x.id === 'loss')!.params = { lrD: 2e-3, lrG: 2e-3, duringFineTune: true };
    g.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'points', rater: 'x-coordinate', tau: 0, roundPairs: 50, rewardSteps: 150, tuneSteps: 60 };
    const trainer = await trained(g, 400);
    const ref = trainer.compiled!.references.copies.get('generator')!.model;
    const fb = await runFeedbackLoop(trainer, { rounds: 4, seed: 1 });
    console.info(`ring reward model: ${JSON.stringify({ ...fb, history: undefined })}`);
    // The reference is the model as the loop began: it is never trained afterwards.
    const refAtEnd = weightsOf(ref);
    const fb2 = trainer.preferenceScores('prefs', [[1, 0], [-1, 0]])!;
    expect(fb.pairs).toBe(200);
    expect(fb.rewardModelHeldOutAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(fb.rewardSpearman).toBeGreaterThanOrEqual(0.8);
    expect(fb2.score[0]).toBeGreaterThan(fb2.score[1]);
    expect(fb.trueRewardAfter - fb.trueRewardBefore).toBeGreaterThanOrEqual(fb.trueRewardStd);
    await trainer.step(3);
    expect(weightsOf(ref)).toEqual(refAtEnd);
    trainer.dispose();
  }, 600_000);

  it('steers a names GPT toward names ending in "a" with DPO, its held-out loss barely worse', async () => {
    const d = dpoGptDoc({ beta: 1 });
    d.training = { ...d.training, batchSize: 16, learningRate: 0.005 };
    d.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'text', rater: 'ends-in-a', contextLength: 12, roundPairs: 50, rewardSteps: 0, tuneSteps: 30 };
    d.nodes.find((x) => x.id === 'dpo')!.params = { beta: 1, learningRate: 0.001 };
    const trainer = await trained(d, 300);
    const fb = await runFeedbackLoop(trainer, { rounds: 4, seed: 1, maxTokens: 11 });
    console.info(`names DPO: ${JSON.stringify({ ...fb, history: undefined })}`);
    expect(fb.trueRewardAfter - fb.trueRewardBefore).toBeGreaterThanOrEqual(fb.trueRewardStd);
    expect(fb.rewardModelHeldOutAccuracy).toBeGreaterThanOrEqual(0.7);
    expect(fb.klToReference).toBeGreaterThan(0);
    expect(fb.baseLossAfter!).toBeLessThan(fb.baseLossBefore! * 1.1);
    trainer.dispose();
  }, 600_000);

  it('steers a names GPT toward names ending in "a" with REINFORCE against a reward model', async () => {
    const d = reinforceGptDoc({ beta: 0.1 });
    d.training = { ...d.training, batchSize: 16, learningRate: 0.005, seed: 1 };
    d.nodes.find((x) => x.id === 'prefs')!.params = { kind: 'text', rater: 'ends-in-a', contextLength: 12, roundPairs: 50, rewardSteps: 100, tuneSteps: 30 };
    d.nodes.find((x) => x.id === 'rl')!.params = { beta: 0.1, learningRate: 0.001 };
    const trainer = await trained(d, 300);
    const ref = trainer.compiled!.references.copies.get('model')!.model;
    const fb = await runFeedbackLoop(trainer, { rounds: 4, seed: 1, maxTokens: 11 });
    console.info(`names REINFORCE: ${JSON.stringify({ ...fb, history: undefined })}`);
    const refAtEnd = weightsOf(ref);
    expect(fb.trueRewardAfter - fb.trueRewardBefore).toBeGreaterThanOrEqual(fb.trueRewardStd);
    expect(fb.rewardModelHeldOutAccuracy).toBeGreaterThanOrEqual(0.7);
    expect(fb.klToReference).toBeGreaterThan(0);
    await trainer.step(2);
    expect(weightsOf(ref)).toEqual(refAtEnd);
    trainer.dispose();
  }, 600_000);
});
