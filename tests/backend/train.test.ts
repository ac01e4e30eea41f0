// One Adam step of small models on wasm and on cpu from identical weights and data must give
// the same loss and the same updated weights, and training must not leak tensors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelError, randomArray, setupBackends } from './parity';

beforeAll(setupBackends);

interface StepResult {
  losses: number[];
  /** Weights after the first step (the initial ones if no step ran). */
  weights: Float32Array[];
  tensorsPerStep: number[];
}

/** Builds the model on `backend`, sets deterministic weights, runs `steps` Adam steps. */
async function train(
  backend: 'cpu' | 'wasm',
  build: () => tf.LayersModel,
  inputs: () => tf.Tensor[],
  loss: (out: tf.Tensor) => tf.Scalar,
  steps: number,
): Promise<StepResult> {
  await tf.setBackend(backend);
  const model = build();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(randomArray(w.size, 100 + i), w.shape).mul(0.5)));
  const xs = inputs();
  const opt = tf.train.adam(0.01);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  const tensorsPerStep: number[] = [];
  const snapshot = () => model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  let weights = snapshot();
  for (let s = 0; s < steps; s++) {
    const l = opt.minimize(() => loss(model.apply(xs, { training: true }) as tf.Tensor), true, vars);
    losses.push(l!.dataSync()[0]);
    l!.dispose();
    tensorsPerStep.push(tf.memory().numTensors);
    if (s === 0) weights = snapshot();
  }
  tf.dispose(xs);
  opt.dispose();
  model.dispose();
  return { losses, weights, tensorsPerStep };
}

function convNet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      // No bias before batchNorm: its true gradient is zero, and Adam would turn rounding noise
      // of opposite signs on the two backends into full-size opposite steps.
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

function tinyLanguageModel(): tf.LayersModel {
  const tokens = tf.input({ shape: [5] });
  let h = tf.layers.embedding({ inputDim: 9, outputDim: 8 }).apply(tokens) as tf.SymbolicTensor;
  h = tf.layers.layerNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 8, activation: 'gelu' as never }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 9 }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: tokens, outputs: logits });
}

function expectSameTraining(cpu: StepResult, wasm: StepResult, tol: number): void {
  expect(Math.abs(cpu.losses[0] - wasm.losses[0]) / Math.max(1, Math.abs(cpu.losses[0]))).toBeLessThan(tol);
  expect(wasm.weights.length).toBe(cpu.weights.length);
  cpu.weights.forEach((w, i) => expect(maxRelError(w, wasm.weights[i]), `weight ${i}`).toBeLessThan(tol));
}

describe('training on wasm matches cpu', () => {
  it('conv net: conv2d → batchNorm → leakyRelu → conv2dTranspose → maxPool → dense, Adam', async () => {
    const data = () => [tf.tensor(randomArray(3 * 6 * 6 * 2, 7), [3, 6, 6, 2])];
    const bce = (out: tf.Tensor) => tf.losses.sigmoidCrossEntropy(tf.tensor2d([[1], [0], [1]]), tf.log(tf.div(out, tf.sub(1, out)))) as tf.Scalar;
    const cpu = await train('cpu', convNet, data, bce, 1);
    const wasm = await train('wasm', convNet, data, bce, 3);
    expectSameTraining(cpu, wasm, 1e-4);
    // The weights moved: a step that updated nothing would also "match".
    const init = await train('cpu', convNet, data, bce, 0);
    expect(maxRelError(init.weights[0], cpu.weights[0])).toBeGreaterThan(1e-3);
    // Adam's moments appear on the first step; after that each step leaves the count unchanged.
    expect(wasm.tensorsPerStep[2]).toBe(wasm.tensorsPerStep[1]);
  });

  it('tiny language model: embedding (gather) → layerNorm → gelu → logits, Adam', async () => {
    const data = () => [tf.tensor2d([[1, 2, 3, 8, 1], [0, 4, 4, 5, 6]], [2, 5], 'int32')];
    const targets = [2, 3, 8, 1, 0, 4, 4, 5, 6, 7];
    const xent = (logits: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), 9), logits.reshape([10, 9])) as tf.Scalar;
    const cpu = await train('cpu', tinyLanguageModel, data, xent, 1);
    const wasm = await train('wasm', tinyLanguageModel, data, xent, 3);
    expectSameTraining(cpu, wasm, 1e-4);
    expect(wasm.tensorsPerStep[2]).toBe(wasm.tensorsPerStep[1]);
  });
});
