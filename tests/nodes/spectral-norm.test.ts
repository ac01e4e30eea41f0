// Spectral normalisation: after its power iterations the normalised kernel's largest singular value
// is 1 (within ε), the gradient treats u and v as constants, saved models load back, nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lazyConv2d, lazyDense } from '../../nodes/layers/lazy-grad';
import { powerIteration, withSpectralNorm } from '../../nodes/layers/spectral-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** σ_max of a [rows, cols] matrix in float64: 2000 rounds of power iteration on MᵀM, written out here. */
function largestSingularValue(m: number[][]): number {
  const cols = m[0].length;
  let x = Array.from({ length: cols }, (_, i) => 1 + i / cols);
  let s = 0;
  for (let it = 0; it < 2000; it++) {
    const mx = m.map((row) => row.reduce((a, v, j) => a + v * x[j], 0));
    const y = Array.from({ length: cols }, (_, j) => m.reduce((a, row, i) => a + row[j] * mx[i], 0));
    const n = Math.sqrt(y.reduce((a, v) => a + v * v, 0));
    x = y.map((v) => v / n);
    s = Math.sqrt(n);
  }
  return s;
}

/** The kernel the layer computes with, as a matrix [fan-in, out], read off its outputs on basis inputs. */
function effectiveDenseMatrix(layer: tf.layers.Layer, fanIn: number): number[][] {
  return tf.tidy(() => {
    const eye = tf.eye(fanIn);
    const withBias = layer.apply(eye, { training: false }) as tf.Tensor;
    const bias = layer.apply(tf.zeros([1, fanIn]), { training: false }) as tf.Tensor;
    return tf.sub(withBias, bias).arraySync() as number[][];
  });
}

const denseLayer = (seed: number) =>
  tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 3, seed }), biasInitializer: tf.initializers.randomNormal({ seed }) });

describe('spectral normalisation', () => {
  it('a dense kernel of σ_max ≫ 1 computes with σ_max = 1 ± 1e-3 after its power iterations', () => {
    const layer = withSpectralNorm(lazyDense(denseLayer(1)), 1, 2);
    const x = tf.randomNormal([4, 7], 0, 1, 'float32', 3);
    layer.apply(x, { training: false });
    const raw = (layer.getWeights()[0].arraySync() as number[][]);
    expect(largestSingularValue(raw)).toBeGreaterThan(5);
    const before = largestSingularValue(effectiveDenseMatrix(layer, 7));
    for (let i = 0; i < 40; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const after = largestSingularValue(effectiveDenseMatrix(layer, 7));
    expect(after).toBeLessThanOrEqual(1 + 1e-3);
    expect(after).toBeGreaterThan(1 - 1e-3);
    // Power iteration under-estimates σ, so a fresh u leaves σ_max above 1: the iterations do the work.
    expect(before).toBeGreaterThan(after);
    x.dispose();
  });

  it('a conv kernel, viewed as [k·k·c_in, c_out], reaches σ_max ≤ 1 + 1e-3 too', () => {
    const layer = withSpectralNorm(lazyConv2d(tf.layers.conv2d({ filters: 4, kernelSize: 3, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 2, seed: 5 }) })), 1, 6);
    const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 7);
    for (let i = 0; i < 40; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const u = layer.getWeights()[2];
    const kernel = layer.getWeights()[0];
    const m = tf.reshape(kernel, [-1, 4]) as tf.Tensor2D;
    const { u: u1, v } = powerIteration(m, tf.transpose(u) as tf.Tensor2D, 0);
    const sigmaHat = tf.sum(tf.mul(v, tf.matMul(m, u1))).dataSync()[0];
    const normalised = tf.div(m, sigmaHat).arraySync() as number[][];
    expect(largestSingularValue(normalised)).toBeLessThanOrEqual(1 + 1e-3);
    expect(largestSingularValue(normalised)).toBeGreaterThan(1 - 1e-3);
    // The layer's output is the stock convolution with that kernel.
    const y = layer.apply(x, { training: false }) as tf.Tensor;
    const expected = tf.add(tf.conv2d(x as tf.Tensor4D, tf.div(kernel, sigmaHat) as tf.Tensor4D, 1, 'valid'), layer.getWeights()[1]);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([x, m, u1, v, y, expected]);
  });

  it('differentiates σ = vᵀWu through W only, with u and v held constant', () => {
    const layer = withSpectralNorm(lazyDense(denseLayer(8)), 1, 9);
    const x = tf.randomNormal([3, 7], 0, 1, 'float32', 10);
    layer.apply(x, { training: false });
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const uRow = layer.getWeights()[2];
    // With no update (eval), u is the stored one normalised, v = Wu/‖Wu‖, and σ = vᵀWu.
    const { u, v } = powerIteration(tf.clone(kernel) as tf.Tensor2D, tf.transpose(uRow) as tf.Tensor2D, 0);
    const reference = () => {
      const sigma = tf.sum(tf.mul(v, tf.matMul(kernel, u)));
      return tf.sum(tf.square(tf.add(tf.matMul(x, tf.div(kernel, sigma)), bias))) as tf.Scalar;
    };
    const viaLayer = () => tf.sum(tf.square(layer.apply(x, { training: false }) as tf.Tensor)) as tf.Scalar;
    const a = tf.variableGrads(reference, [kernel]).grads[kernel.name].dataSync();
    const b = tf.variableGrads(viaLayer, [kernel]).grads[kernel.name].dataSync();
    b.forEach((g, i) => expect(g).toBeCloseTo(a[i], 4));
  });

  it('keeps the tensor count flat while training, and a saved model loads back with its u', async () => {
    const input = tf.input({ shape: [6] });
    const out = withSpectralNorm(lazyDense(denseLayer(11)), 1, 12).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomNormal([2, 6], 0, 1, 'float32', 13);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(count);

    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(saved!.modelTopology)).toContain('SpectralNormDense');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.getWeights().map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
  });
});
