// In a module worker: choose the backend, then train a tiny conv net and an embedding for a
// few steps, reporting the backend, the losses and whether tensors leaked.
import * as tf from '@tensorflow/tfjs';
import { initBrowserBackend, type BackendPreference } from '../../../runtime/backend/select-browser';

self.onmessage = async (e: MessageEvent<{ pref: BackendPreference }>) => {
  try {
    const t0 = performance.now();
    const info = await initBrowserBackend(e.data.pref);
    const startMs = performance.now() - t0;
    const tokens = tf.input({ shape: [4] });
    const emb = tf.layers.embedding({ inputDim: 10, outputDim: 16 }).apply(tokens) as tf.SymbolicTensor;
    const img = tf.layers.reshape({ targetShape: [8, 8, 1] }).apply(emb) as tf.SymbolicTensor;
    let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(img) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: tokens, outputs: out });
    const x = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');
    const y = tf.tensor2d([[1], [-1]]);
    const opt = tf.train.adam(0.01);
    const losses: number[] = [];
    const tensors: number[] = [];
    for (let i = 0; i < 5; i++) {
      const l = opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
      losses.push((await l.data())[0]);
      l.dispose();
      tensors.push(tf.memory().numTensors);
    }
    self.postMessage({ ok: true, info, startMs, backend: tf.getBackend(), losses, tensors });
  } catch (err) {
    self.postMessage({ ok: false, error: String((err as Error)?.stack ?? err) });
  }
};
