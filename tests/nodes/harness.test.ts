// The layer harness itself must catch broken definitions, or the suite that uses it proves nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d } from '../../nodes/layers/conv';
import { activation } from '../../nodes/layers/pointwise';
import type { AnyNodeDefinition } from '../../nodes/types';
import { checkLayerNode } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const img = { in: [null, 4, 4, 2] };

/** A layer with no registered class: it saves, but cannot be loaded back. */
class Unregistered extends tf.layers.Layer {
  static className = 'GenloomHarnessUnregistered';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2));
  }
}

describe('checkLayerNode catches', () => {
  it('a correct node: passes', async () => {
    await expect(checkLayerNode(conv2d, { filters: 2 }, img)).resolves.toEqual({ out: [null, 4, 4, 2] });
  });

  it('a wrong parameter count', async () => {
    const bad: AnyNodeDefinition = { ...conv2d, countParams: (i, p) => conv2d.countParams!(i, p) + 1 };
    await expect(checkLayerNode(bad, { filters: 2 }, img)).rejects.toThrow(/countParams/);
  });

  it('weights without a countParams', async () => {
    const bad: AnyNodeDefinition = { ...conv2d, countParams: undefined };
    await expect(checkLayerNode(bad, { filters: 2 }, img)).rejects.toThrow(/no countParams/);
  });

  it('an inferred shape that the layers do not produce', async () => {
    const bad: AnyNodeDefinition = { ...conv2d, inferShapes: () => ({ out: [null, 2, 2, 2] }) };
    await expect(checkLayerNode(bad, { filters: 2 }, img)).rejects.toThrow(/symbolic/);
  });

  it('invalid params', async () => {
    await expect(checkLayerNode(conv2d, { kernelSize: 99 }, img)).rejects.toThrow(/params/);
  });

  it('a custom layer that does not survive save and load', async () => {
    const bad: AnyNodeDefinition = {
      ...activation,
      build: () => {
        const layer = new Unregistered({});
        return ({ in: x }) => ({ out: layer.apply(x) as tf.SymbolicTensor });
      },
    };
    await expect(checkLayerNode(bad, {}, { in: [null, 3] })).rejects.toThrow(/GenloomHarnessUnregistered/);
  });

  it('a build that leaks a tensor', async () => {
    const bad: AnyNodeDefinition = {
      ...activation,
      build: (p, inputs, ctx) => {
        tf.scalar(1); // never disposed
        return activation.build!(p, inputs, ctx);
      },
    };
    await expect(checkLayerNode(bad, {}, { in: [null, 3] })).rejects.toThrow(/leaked/);
  });
});
