// Checkpoints every N steps: taken between two steps (never while one runs), so each one resumes
// exactly where it was taken.
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import type { Checkpoint } from '../../runtime/train/checkpoint-file';
import { vaeDoc } from '../compiler/docs';
import { loadTrainer } from '../learning/helpers-learning';

const doc = () => ({ ...vaeDoc(), training: { ...vaeDoc().training, batchSize: 8, seed: 4, steps: 6, sampleEvery: 0, evalEvery: 0 } });

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('automatic checkpoints', () => {
  it('hands one over every N steps while training, each resuming to the same losses', async () => {
    const trainer = await loadTrainer(doc());
    const taken: Checkpoint[] = [];
    trainer.subscribe((e) => e.type === 'checkpoint' && taken.push(e.checkpoint));
    expect(() => trainer.setCheckpointEvery(-1)).toThrow(/whole number ≥ 0/);
    trainer.setCheckpointEvery(3);
    await trainer.train();
    expect(taken.map((c) => c.step)).toEqual([3, 6]);
    const straight = trainer.status.losses;

    const again = await loadTrainer(doc());
    await again.resume(taken[0]);
    await again.step(3);
    for (const k of Object.keys(straight)) expect(Math.abs(again.status.losses[k] - straight[k]), k).toBeLessThanOrEqual(1e-6);
    trainer.dispose();
    again.dispose();
  });
});
