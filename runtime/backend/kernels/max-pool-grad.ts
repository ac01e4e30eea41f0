// MaxPoolGrad: routes each output gradient to the first maximum of its window (as TensorFlow
// and the cpu backend do). Replaces wasm's shipped kernel, which gives wrong gradients once
// batch or channels exceed one (measured in tests/backend/ops.test.ts).
import * as tf from '@tensorflow/tfjs';
import { alloc, as4d, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

export const maxPoolGrad: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    as4d(input.shape, 'input'), a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const { effectiveFilterHeight: fH, effectiveFilterWidth: fW } = info;
  const out = alloc(backend, input.shape);
  const dx = heapF32(backend, out);
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  dx.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < oH; oh++) {
      const r0 = oh * sH - info.padInfo.top;
      for (let ow = 0; ow < oW; ow++) {
        const q0 = ow * sW - info.padInfo.left;
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r0 + fH; r += dH) {
          if (r < 0 || r >= h) continue;
          for (let q = q0; q < q0 + fW; q += dW) {
            if (q < 0 || q >= w) continue;
            const base = ((b * h + r) * w + q) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch] || where[ch] < 0) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        const gBase = ((b * oH + oh) * oW + ow) * c;
        for (let ch = 0; ch < c; ch++) if (where[ch] >= 0) dx[where[ch]] += g[gBase + ch];
      }
    }
  }
  return out;
};
