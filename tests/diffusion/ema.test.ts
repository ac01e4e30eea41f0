// The training setting `ema` works for diffusion as it does for GANs: the average covers exactly the
// denoiser's weights (whatever the sampler reads), sampling goes through it, and training does not.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { sampledVariables } from '../../runtime/train/optim/ema';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function spiralDiffusion(ema: number) {
  return doc(
    [
      n('data', 'dataset', { dataset: 'spiral' }),
      n('schedule', 'noiseSchedule', { kind: 'linear', T: 40, sampler: 'ddim', sampleSteps: 8 }),
      n('noise', 'addNoise', { prediction: 'v' }),
      n('temb', 'timeEmbedding', { dim: 8, mlp: false }),
      n('cat', 'concat'),
      n('h', 'dense', { units: 16, activation: 'silu' }),
      n('out', 'dense', { units: 2 }),
      n('loss', 'noisePrediction'),
    ],
    [
      e('data.x', 'noise.x0'), e('schedule.schedule', 'noise.schedule'), e('noise.t', 'temb.in'), e('noise.xt', 'cat.a'),
      e('temb.out', 'cat.b'), e('cat.out', 'h.in'), e('h.out', 'out.in'), e('out.out', 'loss.pred'), e('noise.eps', 'loss.eps'),
    ],
    { batchSize: 16, seed: 2, learningRate: 0.02, ema },
  );
}

describe('EMA weights for diffusion sampling', () => {
  it('average exactly the denoiser’s trainable weights', () => {
    const { compiled } = compile(spiralDiffusion(0.9));
    const denoiser = compiled!.networks.find((net) => net.role === 'denoiser')!;
    const averaged = sampledVariables(compiled!);
    expect(averaged.length).toBe(denoiser.model.trainableWeights.length);
    expect(averaged.map((v) => v.name).sort()).toEqual(denoiser.model.trainableWeights.map((w) => (w.read() as tf.Variable).name).sort());
    compiled!.dispose();
  });

  it('change what is sampled but not how training goes', async () => {
    const run = async (ema: number) => {
      const t = new Trainer({ reader: nodeAssets });
      expect((await t.load(spiralDiffusion(ema))).ok).toBe(true);
      const losses = [];
      for (let i = 0; i < 8; i++) losses.push((await t.step(1))['loss.mse']);
      const { batch } = await t.sample({ count: 8, seed: 4 });
      t.dispose();
      return { losses, points: batch.kind === 'points' ? Array.from(batch.data) : [] };
    };
    const live = await run(0);
    const averaged = await run(0.9);
    expect(averaged.losses).toEqual(live.losses);
    expect(averaged.points.every(Number.isFinite)).toBe(true);
    const moved = averaged.points.reduce((s, v, i) => s + Math.abs(v - live.points[i]), 0);
    expect(moved).toBeGreaterThan(1e-3);
  });
});
