// Conv2DBackpropInput for images with few channels (a generator's RGB or greyscale output, a
// discriminator's input) as one matMul plus col2im:
//   G[p, (fh·fW + fw)·C + c] = Σ_o dy[p, o] · W[fh, fw, c, o]          p = (n, oh, ow)
//   dx[n, oh·sH + fh·dH - top, ow·sW + fw·dW - left, c] += G[p, …]
// XNNPACK convs with one or three output channels waste most of their SIMD lanes; the phase
// convs took ~12 ms for a 64×14×14×64 → 64×28×28×1 gradient, this a few.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alloc, as4d, free, offsetF32, runWasm, wholeHeapF32, type TensorInfo } from './wasm-util';

/** Largest input channel count this form is used for. */
export const COL2IM_MAX_CHANNELS = 4;

export function backpropInputByCol2im(
  backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const [fH, fW, c, o] = as4d(filter.shape, 'filter');
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const k = fH * fW * c;
  const p = n * oH * oW;
  // Wᵀ as [o, k], so the product is a plain (fast-path) matMul.
  const wT = alloc(backend, [o, k]);
  {
    const heap = wholeHeapF32(backend);
    const src = offsetF32(backend, filter);
    const dst = offsetF32(backend, wT);
    for (let i = 0; i < k; i++) for (let j = 0; j < o; j++) heap[dst + j * k + i] = heap[src + i * o + j];
  }
  const dy2: TensorInfo = { dataId: dy.dataId, shape: [p, o], dtype: dy.dtype };
  const g = runWasm('BatchMatMul', backend, { a: dy2, b: wT }, { transposeA: false, transposeB: false });
  const dx = alloc(backend, info.inShape);
  const heap = wholeHeapF32(backend);
  const gs = offsetF32(backend, g);
  const d0 = offsetF32(backend, dx);
  heap.fill(0, d0, d0 + n * h * w * c);
  let q = gs;
  for (let b = 0; b < n; b++) {
    const db = d0 + b * h * w * c;
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        for (let fh = 0; fh < fH; fh++) {
          const y = oh * sH + fh * dH - top;
          if (y < 0 || y >= h) {
            q += fW * c;
            continue;
          }
          for (let fw = 0; fw < fW; fw++, q += c) {
            const x = ow * sW + fw * dW - left;
            if (x < 0 || x >= w) continue;
            const at = db + (y * w + x) * c;
            for (let ch = 0; ch < c; ch++) heap[at + ch] += heap[q + ch];
          }
        }
      }
    }
  }
  free(backend, wT, g);
  return dx;
}
