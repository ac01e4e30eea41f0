// Discriminator rejection sampling: the acceptance rule against its closed form, the distribution it
// keeps, slots and fallbacks, and the discriminator group's setting end to end.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { drsF, keepChance, percentileOf, rejectionSample } from '../../nodes/gan/rejection-sampling';
import { Rng } from '../../nodes/rng';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { graphHash } from '../../runtime/train/graph-hash';
import { Trainer } from '../../runtime/train/trainer';
import { smallRingGan } from '../cli/fixtures';
import { expectCganSamplesInClass } from './cgan-sampling';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/**
 * Candidates from a generator that puts half its mass on 0 and half on 1, scored by a discriminator
 * that knows the data holds 0 three times as often as 1: logits log(1.5) and log(0.5), log p_data/p_g.
 */
function twoPoints(seed: number) {
  const rng = new Rng(seed);
  return (slots: number[]) => {
    const values = slots.map(() => (rng.next() < 0.5 ? 0 : 1));
    return { x: tf.tensor2d(values, [values.length, 1]), logits: values.map((v) => Math.log(v === 0 ? 1.5 : 0.5)) };
  };
}

const shareOfZeros = (x: tf.Tensor) => {
  const v = x.dataSync();
  return v.filter((a) => a === 0).length / v.length;
};

describe('discriminator rejection sampling', () => {
  it('keeps a candidate with chance e^(logit − max) when γ = 0: exact rejection sampling', () => {
    for (const [logit, max] of [[0, 0], [-1, 0], [2, 3.5], [-6, 1]]) expect(keepChance(drsF(logit, max), 0)).toBeCloseTo(Math.exp(logit - max), 4);
    // A larger γ keeps less; F grows with the logit.
    expect(keepChance(drsF(-1, 0), 2)).toBeLessThan(keepChance(drsF(-1, 0), 0));
    expect(drsF(-0.5, 0)).toBeGreaterThan(drsF(-2, 0));
  });

  it('takes percentiles by rank', () => {
    expect(percentileOf([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentileOf([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(percentileOf([5, 1, 4, 2, 3], 99)).toBe(4);
  });

  it('turns the generator’s distribution into the data’s at γ = 0, and is choosier at a higher percentile', () => {
    const before = tf.memory().numTensors;
    const exact = rejectionSample({ count: 4000, seed: 1, percentile: 0, draw: twoPoints(2) });
    // The data's share of 0 is 0.75; the generator's 0.5. Binomial s.d. at n = 4000 is 0.007.
    expect(shareOfZeros(exact.x)).toBeGreaterThan(0.72);
    expect(shareOfZeros(exact.x)).toBeLessThan(0.78);
    expect(exact.fallbacks).toBe(0);
    const choosy = rejectionSample({ count: 4000, seed: 1, percentile: 80, draw: twoPoints(2) });
    expect(shareOfZeros(choosy.x)).toBeGreaterThan(0.8);
    expect(choosy.drawn).toBeGreaterThan(exact.drawn);
    tf.dispose([exact.x, choosy.x]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fills every slot with one of its own candidates, and falls back to the likeliest when none is kept', () => {
    // Each candidate is its slot's number; slot 0 always scores far above the rest, so the others are
    // all but never kept and take their best candidate after the last round.
    const draw = (slots: number[]) => ({
      x: tf.tensor2d(slots, [slots.length, 1]),
      logits: slots.map((s) => (s === 0 ? 100 : 0)),
    });
    const { x, fallbacks } = rejectionSample({ count: 5, seed: 3, percentile: 0, draw });
    expect(Array.from(x.dataSync())).toEqual([0, 1, 2, 3, 4]);
    expect(fallbacks).toBe(4);
    x.dispose();
  });

  it('refuses a draw that returns the wrong number of candidates', () => {
    const draw = (slots: number[]) => ({ x: tf.zeros([slots.length + 1, 2]), logits: slots.map(() => 0) });
    expect(() => rejectionSample({ count: 4, seed: 1, percentile: 0, draw })).toThrow(/asked for 1000 candidates and got 1001/);
  });
});

describe('the discriminator group’s rejection setting', () => {
  const withRejection = (params: Record<string, unknown>) => {
    const doc = smallRingGan();
    for (const n of doc.nodes) if (n.id === 'D') n.params = { ...n.params, ...params };
    return doc;
  };

  it('samples the asked-for count through the discriminator, apart from plain sampling', async () => {
    const plain = new Trainer({ reader: nodeAssets });
    const drs = new Trainer({ reader: nodeAssets });
    expect((await plain.load(smallRingGan())).ok).toBe(true);
    expect((await drs.load(withRejection({ rejection: 'drs', rejectPercentile: 80 }))).ok).toBe(true);
    await plain.step(3);
    await drs.step(3);
    const count = tf.memory().numTensors;
    const a = (await plain.sample({ count: 50, seed: 4 })).batch;
    const b = (await drs.sample({ count: 50, seed: 4 })).batch;
    expect(b.kind === 'points' && b.count).toBe(50);
    expect(b.kind === 'points' && Array.from(b.data).every(Number.isFinite)).toBe(true);
    // Training is the same (same seed, same steps); only sampling differs.
    expect(a.kind === 'points' && b.kind === 'points' && Array.from(a.data)).not.toEqual(b.kind === 'points' && Array.from(b.data));
    expect(tf.memory().numTensors).toBe(count);
    plain.dispose();
    drs.dispose();
  });

  it('keeps each sample of a conditional generator in the class asked for, scored by an AC-GAN’s first number', async () => {
    await expectCganSamplesInClass({ rejection: 'drs' });
  });

  it('names the field when the discriminator judges packs', () => {
    const { diagnostics } = compile(withRejection({ rejection: 'drs', pack: 2 }));
    const problem = diagnostics.find((d) => d.nodeId === 'D' && d.severity === 'error');
    expect(problem?.message).toMatch(/rejection.*packs of 2/);
  });

  it('leaves the checkpoint hash alone: a trained model can be sampled with or without it', () => {
    const base = graphHash(smallRingGan());
    expect(graphHash(withRejection({ rejection: 'drs', rejectPercentile: 50 }))).toBe(base);
    expect(graphHash(withRejection({ pack: 2 }))).not.toBe(base);
  });
});
