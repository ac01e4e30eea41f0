// The same seeded training step gives the same losses on cpu and on wasm: a tiny GAN whose
// generator has a dense layer and a transposed conv and whose discriminator convolves, so the
// wasm training kernels (conv filter gradients, transposed conv) are on the path.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Trainer } from '../../runtime/train/trainer';
import { doc, e, n } from '../compiler/docs';

function tinyConvGan() {
  return doc(
    [
      n('z', 'noise', { shape: [8] }),
      n('g1', 'dense', { units: 7 * 7 * 4, activation: 'relu' }),
      n('g2', 'reshape', { targetShape: [7, 7, 4] }),
      n('g3', 'conv2dTranspose', { filters: 1, kernelSize: 4, strides: 4, activation: 'tanh' }),
      n('data', 'dataset', { dataset: 'mnist' }),
      n('D', 'discriminator'),
      n('d1', 'conv2d', { filters: 4, kernelSize: 3, strides: 2, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'flatten', {}, { parentId: 'D' }),
      n('d3', 'dense', { units: 1 }, { parentId: 'D' }),
      n('loss', 'adversarial', { lrD: 1e-3, lrG: 1e-3 }),
    ],
    [
      e('z.z', 'g1.in'), e('g1.out', 'g2.in'), e('g2.out', 'g3.in'), e('g3.out', 'D.fake'), e('data.x', 'D.real'),
      e('D.innerIn', 'd1.in'), e('d1.out', 'd2.in'), e('d2.out', 'd3.in'), e('d3.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'), e('D.fakeScore', 'loss.fake'),
    ],
    { batchSize: 8, seed: 5 },
  );
}

async function losses(backend: 'cpu' | 'wasm', steps: number): Promise<Record<string, number>[]> {
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const trainer = new Trainer({ reader: nodeAssets });
  const r = await trainer.load(tinyConvGan());
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out: Record<string, number>[] = [];
  for (let s = 0; s < steps; s++) out.push(await trainer.step(1));
  trainer.dispose();
  return out;
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('cpu and wasm agree', () => {
  it('the same seeded GAN steps give the same losses on both backends', async () => {
    const wasm = await losses('wasm', 3);
    const cpu = await losses('cpu', 3);
    console.log('cpu', JSON.stringify(cpu), '\nwasm', JSON.stringify(wasm), tf.getBackend());
    expect(wasm).toHaveLength(3);
    for (let s = 0; s < 3; s++) {
      for (const key of ['loss.discriminator', 'loss.generator']) {
        expect(Number.isFinite(cpu[s][key])).toBe(true);
        expect(Math.abs(wasm[s][key] - cpu[s][key]), `${key} at step ${s}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu[s][key])));
      }
    }
    // The losses move: the steps really trained something (a frozen model would match trivially).
    expect(cpu[2]['loss.discriminator']).not.toBe(cpu[0]['loss.discriminator']);
  });
});
