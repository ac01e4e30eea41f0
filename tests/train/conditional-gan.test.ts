// The discriminator group's label input and PacGAN packing, and class-conditional sampling.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinLabel, packExamples } from '../../nodes/gan/discriminator-input';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { compile } from '../../runtime/compiler/compile';
import { nodeAssets } from '../../runtime/data/assets-node';
import { classesByRow } from '../../nodes/gan/conditional-sampling';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** z and the data's one-hot label → G → 28×28; D gets the label too, packs `pack` examples, and holds SN and minibatch stddev. */
function cganDoc(pack: number, batchSize: number) {
  return doc(
    [
      n('z', 'noise', { shape: [4] }),
      n('data', 'dataset', { dataset: 'mnist' }),
      n('zy', 'concat'),
      n('g1', 'dense', { units: 16, activation: 'relu' }),
      n('g2', 'dense', { units: 784, activation: 'tanh' }),
      n('g3', 'reshape', { targetShape: [28, 28, 1] }),
      n('D', 'discriminator', { pack }),
      n('d1', 'conv2d', { filters: 3, kernelSize: 4, strides: 4, spectralNorm: true, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'minibatchStddev', { groupSize: 2 }, { parentId: 'D' }),
      n('d3', 'flatten', {}, { parentId: 'D' }),
      n('d4', 'dense', { units: 1, spectralNorm: true }, { parentId: 'D' }),
      n('loss', 'adversarial', {}),
    ],
    [
      e('z.z', 'zy.a'), e('data.label', 'zy.b'), e('zy.out', 'g1.in'), e('g1.out', 'g2.in'), e('g2.out', 'g3.in'),
      e('g3.out', 'D.fake'), e('data.x', 'D.real'), e('data.label', 'D.label'),
      e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'd3.in'), e('d3.out', 'd4.in'), e('d4.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
    ],
    { batchSize, seed: 2, steps: 100 },
  );
}

describe('discriminator input', () => {
  it('packs m consecutive examples side by side along the last axis', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(packExamples(x, 2, 'D').arraySync()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const img = tf.range(0, 4 * 2 * 3 * 2).reshape([4, 2, 3, 2]);
    const packed = packExamples(img, 2, 'D').arraySync() as number[][][][];
    const src = img.arraySync() as number[][][][];
    for (let i = 0; i < 2; i++)
      for (let y = 0; y < 2; y++)
        for (let xx = 0; xx < 3; xx++)
          for (let j = 0; j < 2; j++) for (let ch = 0; ch < 2; ch++) expect(packed[i][y][xx][j * 2 + ch]).toBe(src[i * 2 + j][y][xx][ch]);
    expect(() => packExamples(tf.zeros([3, 2]), 2, 'the discriminator')).toThrow(/batch of 3 is not a multiple of 2/);
  });

  it('joins one-hot labels as constant channels of an image', () => {
    const y = joinLabel(tf.zeros([2, 2, 2, 1]), tf.tensor2d([[0, 1, 0], [1, 0, 0]])).arraySync() as number[][][][];
    expect(y[0][1][0]).toEqual([0, 0, 1, 0]);
    expect(y[1][0][1]).toEqual([0, 1, 0, 0]);
  });

  it('the group infers its inner input from data, label and pack', () => {
    const { compiled, diagnostics } = compile(cganDoc(2, 4));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled!.analysis.shapes.D.innerIn).toEqual([null, 28, 28, 22]);
    compiled!.dispose();
  });
});

describe('conditional GAN', () => {
  it('trains with label, packing, spectral norm and minibatch stddev, and samples the classes asked for', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(cganDoc(2, 4))).ok).toBe(true);
    await trainer.step(1);
    const count = tf.memory().numTensors;
    const losses = await trainer.step(2);

    expect(Object.values(losses).every(Number.isFinite)).toBe(true);
    const pixels = async (classes?: number[]) => {
      const { batch } = await trainer.sample({ count: 4, seed: 5, classes });
      return batch.kind === 'images' ? Array.from(batch.data) : [];
    };
    const zeros = await pixels([0, 0, 0, 0]);
    const sevens = await pixels([7, 7, 7, 7]);
    expect(zeros).toHaveLength(4 * 784);
    expect(sevens).not.toEqual(zeros);
    // The default is one row of the √count-wide grid per class: [0, 0, 1, 1] for 4 samples.
    expect(await pixels()).toEqual(await pixels([0, 0, 1, 1]));
    await expect(pixels([0, 0, 0, 10])).rejects.toThrow(/classes 0 to 9/);
    expect(tf.memory().numTensors).toBe(count);
    trainer.dispose();
  });

  it('names the discriminator when the batch is not a multiple of pack', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    expect((await trainer.load(cganDoc(4, 6))).ok).toBe(true);
    await expect(trainer.step(1)).rejects.toThrow(/discriminator packs 4 examples at a time, but the batch of 6/);
    trainer.dispose();
  });

  it('gives one row of the sample grid per class', () => {
    expect(classesByRow(100, 10).filter((_, i) => i % 10 === 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(classesByRow(100, 10).slice(30, 40))).toEqual(new Set([3]));
  });
});
