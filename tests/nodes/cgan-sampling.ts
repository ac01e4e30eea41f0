// Sampling the small AC-GAN fixture once with its discriminator group's params changed: what the
// refinements of GAN sampling (rejection, Langevin steps) must leave alone is checked on it.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { smallCgan } from '../cli/fixtures';

/** After one step, 4 samples asked for as classes 3, 3, 8, 8: they must keep those classes, lie in the image range and leak nothing. */
export async function expectCganSamplesInClass(groupParams: Record<string, unknown>): Promise<void> {
  const doc = smallCgan();
  for (const n of doc.nodes) if (n.type === 'discriminator') n.params = { ...n.params, ...groupParams };
  const trainer = new Trainer({ reader: nodeAssets });
  expect((await trainer.load(doc)).ok).toBe(true);
  await trainer.step(1);
  const count = tf.memory().numTensors;
  const { batch } = await trainer.sample({ count: 4, seed: 2, classes: [3, 3, 8, 8] });
  expect(batch.kind === 'images' && batch.classes).toEqual([3, 3, 8, 8]);
  expect(batch.kind === 'images' && batch.data.length).toBe(4 * 784);
  expect(batch.kind === 'images' && Array.from(batch.data).every((v) => v >= -1 && v <= 1)).toBe(true);
  expect(tf.memory().numTensors).toBe(count);
  trainer.dispose();
}
