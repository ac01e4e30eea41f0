// Conv2DBackpropFilter (the weight gradient of conv2d) as im2col plus one plain XNNPACK matMul:
//   col[p, (fh·fW + fw)·C + c] = x[n, oh·sH + fh·dH - top, ow·sW + fw·dW - left, c]   p = (n, oh, ow)
//   dW[k, o] = Σ_p col[p, k] · dy[p, o]
// computed as (dyᵀ · col)ᵀ, transposing the two small operands rather than the large col, because
// wasm's matMul with transposeA/transposeB is about 14× slower than without.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alloc, as4d, free, offsetF32, runWasm, wholeHeapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

export function im2col(backend: BackendWasm, x: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, c] = as4d(x.shape, 'x');
  const { outHeight: oH, outWidth: oW, filterHeight: fH, filterWidth: fW } = info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = fH * fW * c;
  const col = alloc(backend, [n * oH * oW, k]);
  const heap = wholeHeapF32(backend);
  const src = offsetF32(backend, x);
  let d = offsetF32(backend, col);
  for (let b = 0; b < n; b++) {
    const xb = src + b * h * w * c;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        for (let fh = 0; fh < fH; fh++) {
          const r = oh * sH + fh * dH - top;
          if (r < 0 || r >= h) {
            heap.fill(0, d, d + fW * c);
            d += fW * c;
            continue;
          }
          const row = xb + r * w * c;
          for (let fw = 0; fw < fW; fw++) {
            const q = ow * sW + fw * dW - left;
            if (q < 0 || q >= w) heap.fill(0, d, d + c);
            else if (c === 1) heap[d] = heap[row + q];
            else heap.copyWithin(d, row + q * c, row + q * c + c);
            d += c;
          }
        }
      }
    }
  }
  return col;
}

export const conv2DBackpropFilter: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(a.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got dataFormat ${a.dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad,
    a.dimRoundingMode, false, dataFormat);
  const p = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const o = info.outChannels;
  const col = im2col(backend, x, info);
  const dy2: TensorInfo = { dataId: dy.dataId, shape: [p, o], dtype: dy.dtype };
  const dyT = runWasm('Transpose', backend, { x: dy2 }, { perm: [1, 0] });
  const dwT = runWasm('BatchMatMul', backend, { a: dyT, b: col }, { transposeA: false, transposeB: false });
  const dwT2: TensorInfo = { dataId: dwT.dataId, shape: [o, k], dtype: dwT.dtype };
  const dw = runWasm('Transpose', backend, { x: dwT2 }, { perm: [1, 0] });
  free(backend, col, dyT, dwT);
  return { dataId: dw.dataId, shape: [...a.filterShape], dtype: 'float32' };
};
