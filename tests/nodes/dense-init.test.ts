// Dense's `uniform` start is PyTorch's nn.Linear default: weights and bias both uniform in ±1/√fan-in,
// so the bias is not zero and the bound shrinks with the input width; `glorot` keeps a zero bias.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from '../../nodes/layers/dense';
import { resolveParams } from '../../nodes/params';
import { buildAlone } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weightsOf(init: string, fanIn: number, units: number) {
  const { params } = resolveParams(dense, { units, init });
  const { model } = buildAlone(dense, params, { in: [null, fanIn] });
  const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { kernel, bias };
}

const maxAbs = (v: number[]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('dense initialisation', () => {
  it.each([2, 128])('uniform: weights and bias fill ±1/√fan-in for fan-in %i', (fanIn) => {
    const before = tf.memory().numTensors;
    const { kernel, bias } = weightsOf('uniform', fanIn, 256);
    const bound = 1 / Math.sqrt(fanIn);
    expect(maxAbs(kernel)).toBeLessThanOrEqual(bound);
    expect(maxAbs(bias)).toBeLessThanOrEqual(bound);
    // Spread over the interval, not bunched near 0: a uniform variable's largest |x| of 256 draws sits near the bound.
    expect(maxAbs(bias)).toBeGreaterThan(0.9 * bound);
    expect(maxAbs(kernel)).toBeGreaterThan(0.9 * bound);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('glorot: zero bias and the wider Glorot bound for a 2-wide input', () => {
    const { kernel, bias } = weightsOf('glorot', 2, 128);
    expect(maxAbs(bias)).toBe(0);
    expect(maxAbs(kernel)).toBeLessThanOrEqual(Math.sqrt(6 / (2 + 128)));
    expect(maxAbs(kernel)).toBeGreaterThan(0.9 * Math.sqrt(6 / (2 + 128)));
  });
});
