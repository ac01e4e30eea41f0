// Honest likelihoods: the Bernoulli decoder's loss is −log p(x | z) in closed form; the importance-
// weighted bound is a bound on log p(x) that tightens as k grows, checked on a model whose marginal
// likelihood is known exactly; a BCE decoder's samples are images, not logits.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveParams } from '../../nodes/params';
import { binarize, reconstruction } from '../../nodes/reconstruction';
import { boundsFromWeights, chunksOf, heldOutRanges, logImportanceWeights } from '../../nodes/vae-likelihood';
import { Trainer } from '../../runtime/train/trainer';
import { QUALITY_SEED } from '../../runtime/train/live-quality';
import { LIVE_HELD_OUT } from '../../runtime/metrics/figures';
import type { QualityFigures } from '../../runtime/metrics/quality';
import { nodeAssets } from '../../runtime/data/assets-node';
import { runContext } from '../diffusion/run-context';
import { doc, e, n } from '../compiler/docs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = (p: Record<string, unknown>) => resolveParams(reconstruction, p).params as never;

describe('the Bernoulli decoder', () => {
  it('scores binary pixels with −log p in closed form, summed per example', () => {
    const logits = tf.tensor2d([[2, -1, 0.5], [0, 3, -2]]);
    const bits = [[1, 0, 1], [0, 1, 1]];
    // The loss binarizes its target: grey levels of exactly ±1 are certain, so the bits come through.
    const target = tf.tensor2d(bits.map((r) => r.map((b) => 2 * b - 1)));
    const obj = reconstruction.objectives!(params({ kind: 'bernoulli' }))[0];
    const loss = obj.loss(runContext(reconstruction, { pred: logits, target }, { params: { kind: 'bernoulli' }, batchSize: 2 })).dataSync()[0];
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const l = [[2, -1, 0.5], [0, 3, -2]];
    let total = 0;
    l.forEach((row, i) => row.forEach((v, j) => (total -= Math.log(bits[i][j] ? sigma(v) : 1 - sigma(v)))));
    expect(loss).toBeCloseTo(total / 2, 5);
    expect(obj.unit).toBe('nats');
    const ll = reconstruction.logLikelihood!(params({ kind: 'bernoulli' }), logits, target, 1)!.dataSync();
    expect(ll[0] + ll[1]).toBeCloseTo(-total, 5);
  });

  it('binarizes grey pixels with probability equal to their level', () => {
    const grey = tf.fill([20000], 0.5); // level (0.5 + 1) / 2 = 0.75
    const share = tf.mean(binarize(grey, 3)).dataSync()[0];
    expect(share).toBeGreaterThan(0.73);
    expect(share).toBeLessThan(0.77);
  });

  it('calls a squared error what it is', () => {
    expect(reconstruction.objectives!(params({ kind: 'mse' }))[0].unit).toBe('squared error');
    expect(reconstruction.logLikelihood!(params({ kind: 'mse' }), tf.zeros([1, 2]), tf.zeros([1, 2]), 1)).toBeNull();
  });
});

describe('the importance-weighted bound', () => {
  // z ~ N(0, 1), x | z ~ N(z, 1): p(x) = N(0, 2) exactly, and the true posterior is N(x/2, 1/2).
  const xs = tf.tensor1d([-2, -0.5, 0.3, 1.7]);
  const logLik = (z: tf.Tensor) => tf.tidy(() => tf.sum(tf.sub(tf.mul(-0.5, tf.square(tf.sub(xs.reshape([4, 1]), z))), 0.5 * Math.log(2 * Math.PI)), 1));
  const exact = -xs.arraySync().reduce((s, x) => s + (-0.5 * (x * x) / 2 - 0.5 * Math.log(2 * Math.PI * 2)), 0) / 4;

  it('is exact for the true posterior, with any k', () => {
    const mean = tf.div(xs, 2).reshape([4, 1]);
    const logvar = tf.fill([4, 1], Math.log(0.5));
    const { negElbo, negIwae } = boundsFromWeights(logImportanceWeights(mean, logvar, 5, 1, logLik));
    expect(negElbo).toBeCloseTo(exact, 4);
    expect(negIwae).toBeCloseTo(exact, 4);
  });

  it('lies above −log p(x), at or below the ELBO, and tightens as k grows for a poor posterior', () => {
    const mean = tf.zeros([4, 1]);
    const logvar = tf.zeros([4, 1]);
    const bound = (k: number) => boundsFromWeights(logImportanceWeights(mean, logvar, k, 11, logLik));
    const b1 = bound(1);
    const b10 = bound(10);
    const b1000 = bound(1000);
    expect(b10.negIwae).toBeLessThanOrEqual(b10.negElbo);
    expect(b10.negIwae).toBeLessThan(b1.negIwae);
    expect(b1000.negIwae).toBeLessThan(b10.negIwae);
    expect(b1000.negIwae).toBeGreaterThan(exact - 0.02);
    expect(b1000.negIwae - exact).toBeLessThan(0.1 * (b1000.negElbo - exact));
  });
});

function bernoulliVae(dataset: string) {
  return doc(
    [
      n('data', 'dataset', { dataset }), n('flat', 'flatten'),
      n('enc', 'dense', { units: 8, activation: 'relu' }), n('mean', 'dense', { units: 2 }), n('logvar', 'dense', { units: 2 }),
      n('z', 'reparameterize'), n('dec', 'dense', { units: 784 }), n('img', 'reshape', { targetShape: [28, 28, 1] }),
      n('recon', 'reconstruction', { kind: 'bernoulli', reduction: 'sum' }), n('kl', 'klDivergence'),
    ],
    [
      e('data.x', 'flat.in'), e('flat.out', 'enc.in'), e('enc.out', 'mean.in'), e('enc.out', 'logvar.in'),
      e('mean.out', 'z.mean'), e('logvar.out', 'z.logvar'), e('z.z', 'dec.in'), e('dec.out', 'img.in'),
      e('img.out', 'recon.pred'), e('data.x', 'recon.target'), e('mean.out', 'kl.mean'), e('logvar.out', 'kl.logvar'),
    ],
    { batchSize: 16, seed: 1, steps: 10, sampleEvery: 0, evalEvery: 0, learningRate: 1e-3 },
  );
}

/** A Bernoulli VAE on `dataset` after two training steps. */
async function trainedVae(dataset: string): Promise<Trainer> {
  const trainer = new Trainer({ reader: nodeAssets });
  expect((await trainer.load(bernoulliVae(dataset))).ok).toBe(true);
  await trainer.step(2);
  return trainer;
}

describe('held-out likelihood bounds', () => {
  it('measure each test example once when asked for the whole split, and a drawn subset otherwise', async () => {
    const trainer = await trainedVae('mnist');
    // mnist's test split holds 1,000 digits: asking for more measures those 1,000, the same every time.
    // Two importance samples keep it quick; the bound's name says how many.
    const whole = trainer.familyMetrics(5000, 7, { samples: 2 });
    expect(whole.heldOutExamples).toBe(1000);
    expect(trainer.familyMetrics(1000, 7, { samples: 2 })).toEqual(whole);
    expect(whole.heldOutNegIwae2).toBeLessThanOrEqual(whole.heldOutNegElbo);
    const some = trainer.familyMetrics(300, 7, { samples: 2 });
    expect(some.heldOutExamples).toBe(300);
    expect(Math.abs(some.heldOutNegElbo - whole.heldOutNegElbo)).toBeLessThan(0.1 * whole.heldOutNegElbo);
    trainer.dispose();
  });

  it('average over chunks by their sizes', async () => {
    const trainer = await trainedVae('mnist-full');
    // 2,500 digits are measured as chunks of 1,000, 1,000 and 500.
    const three = trainer.familyMetrics(2500, 7, { samples: 2 });
    expect(three.heldOutExamples).toBe(2500);
    const one = trainer.familyMetrics(1000, 7, { samples: 2 });
    expect(Math.abs(three.heldOutNegElbo - one.heldOutNegElbo)).toBeLessThan(0.05 * one.heldOutNegElbo);
    trainer.dispose();
  });
});

describe('a fixed selection of held-out examples', () => {
  it('spreads over the split in ten runs, or takes all of it', () => {
    const ranges = heldOutRanges(10_000, 200);
    expect(ranges).toHaveLength(10);
    expect(ranges.map(([first]) => first)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(ranges.every(([, n]) => n === 20)).toBe(true);
    expect(heldOutRanges(10_000, 10_000)).toEqual([[0, 10_000]]);
    expect(heldOutRanges(10_000, 20_000)).toEqual([[0, 10_000]]);
    // Uneven sizes still add up, and no run passes the split's end.
    for (const [all, total] of [[1000, 37], [1000, 995], [7, 3], [10_000, 4321]]) {
      const r = heldOutRanges(all, total);
      expect(r.reduce((a, [, n]) => a + n, 0)).toBe(total);
      for (const [first, n] of r) expect(first + n).toBeLessThanOrEqual(all);
      for (let i = 1; i < r.length; i++) expect(r[i][0]).toBeGreaterThanOrEqual(r[i - 1][0] + r[i - 1][1]);
    }
  });

  it('is cut into chunks of at most the chunk size, in order', () => {
    const chunks = chunksOf(heldOutRanges(10_000, 2500), 1000);
    expect(chunks.map((c) => c.reduce((a, [, n]) => a + n, 0))).toEqual([1000, 1000, 500]);
    expect(chunks[0].slice(0, 2)).toEqual([[0, 250], [1000, 250]]);
    expect(chunksOf([[0, 2500]], 1000)).toEqual([[[0, 1000]], [[1000, 1000]], [[2000, 500]]]);
  });
});

describe('live quality figures of a VAE', () => {
  it('include its held-out bounds on a fixed spread of test examples, as a direct measurement gives them', async () => {
    const trainer = new Trainer({ reader: nodeAssets, liveQuality: { share: 1, minIntervalMs: 1e9 } });
    const readings: QualityFigures[] = [];
    trainer.subscribe((ev) => ev.type === 'progress' && ev.quality && readings.push(ev.quality.figures));
    expect((await trainer.load(bernoulliVae('mnist'))).ok).toBe(true);
    await trainer.train(1);
    expect(readings).toHaveLength(1);
    const { heldOutExamples, ...direct } = trainer.familyMetrics(LIVE_HELD_OUT, QUALITY_SEED, { fixed: true });
    expect(heldOutExamples).toBe(LIVE_HELD_OUT);
    expect(readings[0]).toMatchObject(direct);
    expect(Object.keys(readings[0])).toEqual(expect.arrayContaining(['score', 'frechet', 'heldOutNegElbo', 'heldOutNegIwae100']));
    trainer.dispose();
  });

  it('leave them out where the decoder is no likelihood', async () => {
    const mse = bernoulliVae('mnist');
    mse.nodes.find((x) => x.id === 'recon')!.params = { kind: 'mse', reduction: 'sum' };
    const trainer = new Trainer({ reader: nodeAssets, liveQuality: { share: 1, minIntervalMs: 1e9 } });
    const readings: QualityFigures[] = [];
    trainer.subscribe((ev) => ev.type === 'progress' && ev.quality && readings.push(ev.quality.figures));
    expect((await trainer.load(mse)).ok).toBe(true);
    await trainer.train(1);
    expect(readings).toHaveLength(1);
    expect(Object.keys(readings[0])).toContain('score');
    expect(Object.keys(readings[0])).not.toContain('heldOutNegElbo');
    trainer.dispose();
  });
});

describe('a VAE with a BCE decoder', () => {
  it('samples images in the data range, not logits', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const res = await trainer.load(
      doc(
        [
          n('data', 'dataset', { dataset: 'mnist' }), n('flat', 'flatten'),
          n('enc', 'dense', { units: 8, activation: 'relu' }), n('mean', 'dense', { units: 2 }), n('logvar', 'dense', { units: 2 }),
          n('z', 'reparameterize'), n('dec', 'dense', { units: 784 }), n('img', 'reshape', { targetShape: [28, 28, 1] }),
          n('recon', 'reconstruction', { kind: 'bce' }), n('kl', 'klDivergence'),
        ],
        [
          e('data.x', 'flat.in'), e('flat.out', 'enc.in'), e('enc.out', 'mean.in'), e('enc.out', 'logvar.in'),
          e('mean.out', 'z.mean'), e('logvar.out', 'z.logvar'), e('z.z', 'dec.in'), e('dec.out', 'img.in'),
          e('img.out', 'recon.pred'), e('data.x', 'recon.target'), e('mean.out', 'kl.mean'), e('logvar.out', 'kl.logvar'),
        ],
        { batchSize: 8, seed: 1, steps: 10, sampleEvery: 0, evalEvery: 0, learningRate: 0.5 },
      ),
    );
    expect(res.ok).toBe(true);
    // A large learning rate drives the logits far outside [-1, 1] within a few steps.
    await trainer.step(3);
    const { batch } = await trainer.sample({ count: 16, seed: 2 });
    expect(batch.kind).toBe('images');
    if (batch.kind !== 'images') return;
    expect(Math.min(...batch.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...batch.data)).toBeLessThanOrEqual(1);
    trainer.dispose();
  });
});
