import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { noise } from '../../nodes/data';
import { graphHash } from '../../runtime/train/graph-hash';
import type { GraphDocument } from '../../runtime/graph/document';
import { runContext } from '../diffusion/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 4000;
const DIM = 16;

function draw(mode: 'train' | 'eval' | 'sample', truncation: number): Float32Array {
  const out = noise.run!(runContext(noise, {}, { params: { shape: [DIM], truncation }, mode, batchSize: N, seed: 11 })) as { z: tf.Tensor };
  const values = out.z.dataSync() as Float32Array;
  out.z.dispose();
  return values;
}

function moments(v: Float32Array) {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return { mean: m, variance: s / v.length, maxAbs: Math.max(...Array.from(v, Math.abs)) };
}

// Var(z | |z| ≤ b) for z ~ N(0, 1): 1 − 2bφ(b) / (2Φ(b) − 1).
function truncatedVariance(b: number, phiB: number, bigPhiB: number) {
  return 1 - (2 * b * phiB) / (2 * bigPhiB - 1);
}

describe('noise truncation (the truncation trick)', () => {
  it('samples N(0, 1) conditioned on |z| ≤ bound: every entry inside, the variance of the closed form', () => {
    const before = tf.memory().numTensors;
    const v = draw('sample', 1);
    const m = moments(v);
    expect(m.maxAbs).toBeLessThanOrEqual(1);
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
    // φ(1) = 0.241971, Φ(1) = 0.841345: variance 0.29112; the standard error over 64,000 draws is ≈ 0.0011.
    expect(m.variance).toBeCloseTo(truncatedVariance(1, 0.241971, 0.841345), 2);
    // Redrawn, not clipped: clipping would pile a third of the entries at ±1.
    const atBound = v.filter((x) => Math.abs(x) > 0.999).length / v.length;
    expect(atBound).toBeLessThan(0.01);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves training and evaluation with the full N(0, I)', () => {
    for (const mode of ['train', 'eval'] as const) {
      const m = moments(draw(mode, 1));
      expect(m.maxAbs).toBeGreaterThan(3);
      expect(m.variance).toBeGreaterThan(0.97);
    }
  });

  it('is off at 0', () => {
    expect(moments(draw('sample', 0)).maxAbs).toBeGreaterThan(3);
  });

  it('changes sampling only, so a checkpoint still fits a graph with another truncation', () => {
    const doc = (params: Record<string, unknown>): GraphDocument => ({
      version: 1,
      nodes: [{ id: 'z', type: 'noise', position: { x: 0, y: 0 }, params }],
      edges: [],
    }) as unknown as GraphDocument;
    expect(graphHash(doc({ shape: [8], truncation: 1.5 }))).toBe(graphHash(doc({ shape: [8], truncation: 0 })));
    expect(graphHash(doc({ shape: [9], truncation: 0 }))).not.toBe(graphHash(doc({ shape: [8], truncation: 0 })));
  });
});
