// Discriminator-driven latent sampling: Langevin steps against their stationary distribution in
// closed form, and the discriminator group's setting end to end.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { langevinLatents } from '../../nodes/gan/latent-langevin';
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

function moments(x: tf.Tensor): { mean: number[]; variance: number[] } {
  return tf.tidy(() => {
    const m = tf.moments(x, 0);
    return { mean: Array.from(m.mean.dataSync()), variance: Array.from(m.variance.dataSync()) };
  });
}

describe('latent Langevin steps', () => {
  it('settle on p(z)·e^{d(z)}: for a linear score a·z, the normal N(a, I), with the unadjusted chain’s variance 1/(1 − ε/4)', () => {
    const a = [1.5, -0.5];
    const eps = 0.1;
    const start = tf.randomNormal([4000, 2], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const [z] = langevinLatents((zs) => tf.sum(tf.mul(zs[0], tf.tensor1d(a)), 1), [start], { steps: 300, stepSize: eps, seed: 5 });
    expect(tf.memory().numTensors).toBe(before + 1);
    const { mean, variance } = moments(z);
    // The chain z' = (1 − ε/2)z + (ε/2)a + √ε·n has mean a and variance ε / (1 − (1 − ε/2)²) = 1 / (1 − ε/4).
    mean.forEach((m, i) => expect(m).toBeCloseTo(a[i], 1));
    variance.forEach((v) => expect(Math.abs(v - 1 / (1 - eps / 4))).toBeLessThan(0.06));
    tf.dispose([start, z]);
  });

  it('leave the latents where they start with no steps, and move them by the energy’s gradient with a step', () => {
    const start = tf.tensor2d([[0.5, -1], [2, 0]]);
    const [same] = langevinLatents((zs) => tf.sum(zs[0], 1), [start], { steps: 0, stepSize: 0.1, seed: 1 });
    expect(Array.from(same.dataSync())).toEqual(Array.from(start.dataSync()));
    // One step without its noise's share: z − (ε/2)(z − 1) for the score Σ z. The noise is √ε·n, so
    // the difference from that drift, over √ε, is a standard normal draw: small against 6.
    const [moved] = langevinLatents((zs) => tf.sum(zs[0], 1), [start], { steps: 1, stepSize: 0.1, seed: 1 });
    const drift = Array.from(start.dataSync(), (z) => z - 0.05 * (z - 1));
    Array.from(moved.dataSync()).forEach((v, i) => expect(Math.abs(v - drift[i]) / Math.sqrt(0.1)).toBeLessThan(6));
    expect(Array.from(moved.dataSync())).not.toEqual(drift);
    tf.dispose([start, same, moved]);
  });
});

describe('the discriminator group’s latent Langevin setting', () => {
  // The fixture's group samples with rejection, which Langevin steps exclude.
  const withLangevin = (params: Record<string, unknown>) => {
    const doc = smallRingGan();
    for (const n of doc.nodes) if (n.id === 'D') n.params = { ...n.params, rejection: 'off', ...params };
    return doc;
  };

  it('refines the asked-for count of samples, and draws straight from the generator when asked to', async () => {
    const plain = new Trainer({ reader: nodeAssets });
    const refined = new Trainer({ reader: nodeAssets });
    expect((await plain.load(withLangevin({}))).ok).toBe(true);
    expect((await refined.load(withLangevin({ langevinSteps: 5, langevinStepSize: 0.05 }))).ok).toBe(true);
    await plain.step(3);
    await refined.step(3);
    const count = tf.memory().numTensors;
    const points = async (t: Trainer, plainDraw = false) => {
      const { batch } = await t.sample({ count: 150, seed: 4, plain: plainDraw });
      if (batch.kind !== 'points') throw new Error(`expected points, got ${batch.kind}`);
      return batch;
    };
    const a = await points(plain);
    const b = await points(refined);
    const c = await points(refined, true);
    expect(b.count).toBe(150);
    expect(Array.from(b.data).every(Number.isFinite)).toBe(true);
    // Training is the same (same seed, same steps); only sampling differs, and `plain` undoes it.
    expect(Array.from(b.data)).not.toEqual(Array.from(a.data));
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
    expect(tf.memory().numTensors).toBe(count);
    plain.dispose();
    refined.dispose();
  });

  it('keeps a conditional generator’s asked-for classes and the image range', async () => {
    await expectCganSamplesInClass({ langevinSteps: 2 });
  });

  it('names the field when the discriminator judges packs, or rejection sampling is on as well', () => {
    const packed = compile(withLangevin({ langevinSteps: 10, pack: 2 })).diagnostics.find((d) => d.nodeId === 'D' && d.severity === 'error');
    expect(packed?.message).toMatch(/Langevin.*packs of 2/);
    const both = compile(withLangevin({ langevinSteps: 10, rejection: 'drs' })).diagnostics.find((d) => d.nodeId === 'D' && d.severity === 'error');
    expect(both?.message).toMatch(/rejection sampling or latent Langevin steps, not both/);
  });

  it('leaves the checkpoint hash alone: a trained model can be sampled with or without it', () => {
    expect(graphHash(withLangevin({ langevinSteps: 100, langevinStepSize: 0.01 }))).toBe(graphHash(withLangevin({})));
  });
});
