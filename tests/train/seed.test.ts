// A seed makes a run repeatable on one backend: the same graph and seed give the same losses and the
// same samples; another seed gives others. Also: pause stops a run between steps, and nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

function ringGan(seed: number) {
  return doc(
    [
      n('z', 'noise', { shape: [4] }),
      n('g1', 'dense', { units: 16, activation: 'leakyRelu' }),
      n('g2', 'dense', { units: 2 }),
      n('data', 'dataset', { dataset: 'ring' }),
      n('D', 'discriminator'),
      n('d1', 'dense', { units: 16, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'dense', { units: 1 }, { parentId: 'D' }),
      n('loss', 'adversarial', {}),
    ],
    [
      e('z.z', 'g1.in'), e('g1.out', 'g2.in'), e('g2.out', 'D.fake'), e('data.x', 'D.real'),
      e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
    ],
    { batchSize: 16, seed, steps: 10_000, sampleEvery: 0, evalEvery: 0 },
  );
}

async function run(seed: number): Promise<{ losses: Record<string, number>; sample: number[] }> {
  const trainer = new Trainer({ reader: nodeAssets });
  expect((await trainer.load(ringGan(seed))).ok).toBe(true);
  const losses = await trainer.step(5);
  const { batch } = await trainer.sample({ count: 4, seed: 9 });
  trainer.dispose();
  return { losses, sample: batch.kind === 'points' ? Array.from(batch.data) : [] };
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('seeded training', () => {
  it('repeats exactly for one seed and differs for another', async () => {
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(a.sample).toHaveLength(8);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
    expect(c.sample).not.toEqual(a.sample);
  });

  it('pauses between steps, resumes where it stopped, and keeps the tensor count flat', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    await trainer.load(ringGan(1));
    await trainer.step(1); // creates the optimizers' state
    const tensors = tf.memory().numTensors;
    const states: string[] = [];
    const stop = trainer.subscribe((ev) => {
      if (ev.type === 'state') states.push(ev.state);
      if (ev.type === 'progress' && ev.step >= 6) trainer.pause();
    });
    await trainer.train();
    stop();
    const paused = trainer.status.step;
    expect(paused).toBeGreaterThanOrEqual(6);
    expect(paused).toBeLessThan(10_000);
    expect(states).toEqual(['running', 'paused']);
    await trainer.train(paused + 3);
    expect(trainer.status.step).toBe(paused + 3);
    expect(tf.memory().numTensors).toBe(tensors);
    trainer.dispose();
  });
});
