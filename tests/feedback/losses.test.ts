// The feedback losses against their closed forms, and the frozen reference through a fine-tune.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bradleyTerryLoss } from '../../nodes/feedback/reward-model';
import { sequenceLogProbs } from '../../nodes/feedback/dpo';
import type { PreferencePair } from '../../nodes/feedback/preferences';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { Trainer } from '../../runtime/train/trainer';
import { dpoGptDoc, rewardGanDoc } from './graphs';
import { loadTrainer } from '../learning/helpers-learning';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function addPairs(trainer: Trainer, pairs: PreferencePair[]): void {
  const pool = trainer.preferencePools.get('prefs')!;
  pool.set = { ...pool.set, pairs: [...pool.set.pairs, ...pairs] };
}

const weightsOf = (ms: tf.LayersModel[]) => ms.flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));

describe('Bradley–Terry loss', () => {
  it('equals mean −log σ(r_c − r_r) and its gradient −σ(−d)/N (ties: ½ each way)', () => {
    const rc = [0.3, -1.2, 2.5, 0];
    const rr = [-0.4, 0.7, 2.5, 1.5];
    const tie = [0, 0, 1, 0];
    const N = rc.length;
    const d = rc.map((c, i) => c - rr[i]);
    const expected = d.reduce((s, di, i) => s + (tie[i] ? -0.5 * Math.log(sigmoid(di)) - 0.5 * Math.log(sigmoid(-di)) : -Math.log(sigmoid(di))), 0) / N;
    const expectedGrad = d.map((di, i) => (tie[i] ? (-0.5 * sigmoid(-di) + 0.5 * sigmoid(di)) / N : -sigmoid(-di) / N));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.tidy(() => {
      const c = tf.tensor1d(rc);
      const g = tf.valueAndGrad((x: tf.Tensor) => bradleyTerryLoss(tf.sub(x, tf.tensor1d(rr)), tf.tensor1d(tie)))(c);
      return { value: g.value.dataSync()[0], grads: Array.from(g.grad.dataSync()) };
    });
    expect(value).toBeCloseTo(expected, 6);
    grads.forEach((g, i) => expect(g).toBeCloseTo(expectedGrad[i], 6));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sums exact per-token log-probabilities and skips padding', () => {
    const logits = tf.tensor3d([[[1, 2, 0], [0, 0, 3], [5, 5, 5]]]); // (1, 3, 3)
    const targets = tf.tensor2d([[1, 2, -1]], undefined, 'int32');
    const lse = (v: number[]) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0));
    const expected = 2 - lse([1, 2, 0]) + 3 - lse([0, 0, 3]);
    expect(sequenceLogProbs(logits, targets).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([logits, targets]);
  });
});

describe('DPO on a character GPT', () => {
  it('starts at ln 2, moves the policy and leaves the reference bit-identical', async () => {
    const trainer = await loadTrainer(dpoGptDoc());
    addPairs(trainer, [
      { chosen: 'anna', rejected: 'bob', rater: 'ends-in-a' },
      { chosen: 'maria', rejected: 'tom', rater: 'ends-in-a' },
      { chosen: 'eva', rejected: 'jon', rater: 'ends-in-a' },
      { chosen: 'lena', rejected: 'max', rater: 'ends-in-a' },
      { chosen: 'ida', rejected: 'ted', rater: 'ends-in-a' },
      { chosen: 'nora', rejected: 'sam', rater: 'ends-in-a' },
    ]);
    trainer.setStage('policy');
    const graph = trainer.compiled!;
    const [net] = [...graph.references.copies.keys()];
    const policy = graph.networks.find((x) => x.name === net)!.model;
    const reference = graph.references.copies.get(net)!.model;
    const refBefore = weightsOf([reference]);
    const policyBefore = weightsOf([policy]);
    const first = await trainer.step(1);
    expect(Math.abs(first['dpo.dpo'] - Math.LN2)).toBeLessThan(1e-5);
    const last = await trainer.step(5);
    expect(last['dpo.dpo']).toBeLessThan(Math.LN2);
    expect(weightsOf([reference])).toEqual(refBefore);
    expect(weightsOf([policy])).not.toEqual(policyBefore);
    trainer.dispose();
  });
});

describe('a reward model and a reward fine-tune on a 2-D GAN', () => {
  it('trains only the reward network in the reward stage and only the generator in the policy stage', async () => {
    const trainer = await loadTrainer(rewardGanDoc());
    expect(trainer.stages).toEqual(['base', 'reward', 'policy']);
    const graph = trainer.compiled!;
    const model = (name: string) => graph.networks.find((x) => x.name === name)!.model;
    const reward = graph.networks.find((x) => x.role === 'reward')!.name;
    const points = Array.from({ length: 40 }, (_, i) => [Math.cos(i), Math.sin(i * 1.3)]);
    addPairs(trainer, Array.from({ length: 20 }, (_, i) => {
      const [a, b] = [points[2 * i], points[2 * i + 1]];
      return a[0] > b[0] ? { chosen: a, rejected: b, rater: 'x-coordinate' } : { chosen: b, rejected: a, rater: 'x-coordinate' };
    }));
    const g0 = weightsOf([model('generator')]);
    const r0 = weightsOf([model(reward)]);
    trainer.setStage('reward');
    await trainer.step(5);
    expect(weightsOf([model('generator')])).toEqual(g0);
    expect(weightsOf([model(reward)])).not.toEqual(r0);

    const r1 = weightsOf([model(reward)]);
    const ref = graph.references.copies.get('generator')!.model;
    const ref0 = weightsOf([ref]);
    trainer.setStage('policy');
    await trainer.step(1); // the first step makes the optimizer's moment slots
    const before = tf.memory().numTensors;
    await trainer.step(4);
    expect(tf.memory().numTensors).toBe(before);
    expect(weightsOf([model(reward)])).toEqual(r1);
    expect(weightsOf([model('generator')])).not.toEqual(g0);
    expect(weightsOf([ref])).toEqual(ref0);
    trainer.dispose();
  });

  it('fits the reward model at its own rate after a base run whose decaying rate has reached 0', async () => {
    const doc = rewardGanDoc();
    doc.training = { ...doc.training, steps: 2, lrSchedule: 'cosine' };
    const trainer = await loadTrainer(doc);
    await trainer.train();
    const graph = trainer.compiled!;
    const reward = graph.networks.find((x) => x.role === 'reward')!.model;
    addPairs(trainer, [{ chosen: [1, 0], rejected: [-1, 0], rater: 'x-coordinate' }, { chosen: [0.5, 1], rejected: [-0.5, -1], rater: 'x-coordinate' }]);
    const r0 = weightsOf([reward]);
    trainer.setStage('reward');
    await trainer.step(3);
    expect(weightsOf([reward])).not.toEqual(r0);
    trainer.dispose();
  });

  it('says which stages a graph has when asked for one it lacks', async () => {
    const trainer = await loadTrainer(dpoGptDoc());
    expect(() => trainer.setStage('reward')).toThrow('this graph has no "reward" objectives (its stages: base, policy)');
    trainer.dispose();
  });
});
