import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lazyConv2d, lazyDense } from '../../nodes/layers/lazy-grad';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Make = (seed: number) => tf.layers.Layer;

const conv: Make = (seed) =>
  tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.randomNormal({ seed }) });
const dense: Make = (seed) =>
  tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.randomNormal({ seed }) });

const cases = [
  { name: 'conv2d', make: conv, lazy: lazyConv2d, x: () => tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7), filterGrad: 'Conv2DBackpropFilter', inputGrad: 'Conv2DBackpropInput' },
  { name: 'dense on [batch, features]', make: dense, lazy: lazyDense, x: () => tf.randomNormal([3, 4], 0, 1, 'float32', 7), filterGrad: null, inputGrad: null },
  { name: 'dense on [batch, time, features]', make: dense, lazy: lazyDense, x: () => tf.randomNormal([2, 3, 4], 0, 1, 'float32', 7), filterGrad: null, inputGrad: null },
];

/** The layer's output and the gradient of sum(output²) for its kernel, bias and input. */
function outputAndGrads(layer: tf.layers.Layer, x: tf.Tensor) {
  const y = layer.apply(x) as tf.Tensor;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = (input: tf.Tensor) => tf.sum(tf.square(layer.apply(input) as tf.Tensor)) as tf.Scalar;
  const { grads } = tf.variableGrads(() => loss(x), [kernel, bias]);
  const dx = tf.grad(loss)(x);
  return { y: y.arraySync(), dk: grads[kernel.name].arraySync(), db: grads[bias.name].arraySync(), dx: dx.arraySync() };
}

describe('layers with lazy gradients', () => {
  for (const c of cases) {
    it(`${c.name}: same output and gradients as the stock layer`, () => {
      tf.tidy(() => {
        const x = c.x();
        const stock = outputAndGrads(c.make(3), x);
        const lazy = outputAndGrads(c.lazy(c.make(3)), x);
        for (const key of ['y', 'dk', 'db', 'dx'] as const) {
          const a = (stock[key] as number[]).flat(4) as number[];
          const b = (lazy[key] as number[]).flat(4) as number[];
          expect(b.length).toBe(a.length);
          b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 4));
        }
      });
    });
  }

  it('a conv layer trained only through its input does not compute its filter gradient, and a first layer not its input gradient', async () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
    const kernelsRun = async (layer: tf.layers.Layer, wrt: 'input' | 'weights') => {
      layer.apply(x); // build
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = (input: tf.Tensor) => tf.sum(tf.square(layer.apply(input) as tf.Tensor)) as tf.Scalar;
      const info = await tf.profile(() => {
        const g = wrt === 'input' ? tf.grad(loss)(x) : tf.variableGrads(() => loss(x), vars).grads;
        tf.dispose(g);
      });
      return info.kernelNames;
    };
    const lazyIn = await kernelsRun(lazyConv2d(conv(3)), 'input');
    const lazyW = await kernelsRun(lazyConv2d(conv(3)), 'weights');
    const stockIn = await kernelsRun(conv(3), 'input');
    expect(lazyIn).toContain('Conv2DBackpropInput');
    expect(lazyIn).not.toContain('Conv2DBackpropFilter');
    expect(lazyW).toContain('Conv2DBackpropFilter');
    expect(lazyW).not.toContain('Conv2DBackpropInput');
    // The stock fused layer computes both either way: the waste this replaces.
    expect(stockIn).toContain('Conv2DBackpropFilter');
    x.dispose();
  });

  it('inference keeps the fused kernel, and neither path leaks tensors', async () => {
    const layer = lazyConv2d(conv(3));
    const x = tf.randomNormal([1, 4, 4, 3]);
    tf.dispose(layer.apply(x) as tf.Tensor); // build
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => tf.dispose(layer.apply(x) as tf.Tensor));
    expect(info.kernelNames).toContain('FusedConv2D');
    tf.dispose(tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor) as tf.Scalar)(x));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
