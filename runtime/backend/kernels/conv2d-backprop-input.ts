// Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose's forward pass) on
// XNNPACK convs instead of wasm's shipped scalar loop. For few input channels, one matMul and
// col2im (conv2d-backprop-input-col2im.ts); otherwise one stride-1 conv per output phase
// (conv2d-backprop-input-phases.ts), or when the padding would need cropping, one stride-1
// conv of dy spread out by the stride and padded, with the filter flipped spatially and its
// in/out channels swapped.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backpropInputByCol2im, COL2IM_MAX_CHANNELS } from './conv2d-backprop-input-col2im';
import { backpropInputByPhases } from './conv2d-backprop-input-phases';
import { alloc, as4d, free, heapF32, offsetF32, runWasm, wholeHeapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

/** W[fh, fw, ci, co] → W'[fH-1-fh, fW-1-fw, co, ci]. */
function flipSwapFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [fH, fW, ci, co] = as4d(filter.shape, 'filter');
  const out = alloc(backend, [fH, fW, co, ci]);
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, out);
  for (let fh = 0; fh < fH; fh++) {
    for (let fw = 0; fw < fW; fw++) {
      const s0 = (fh * fW + fw) * ci * co;
      const d0 = ((fH - 1 - fh) * fW + (fW - 1 - fw)) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[d0 + o * ci + i] = src[s0 + i * co + o];
      }
    }
  }
  return out;
}

/**
 * Places dy[n, oh, ow, :] at row oh*sH + top, column ow*sW + left of a zero [N, outH, outW, C]
 * buffer. Positions outside the buffer can only reach outputs outside dx, so they are dropped.
 */
function spreadAndPad(
  backend: BackendWasm,
  dy: TensorInfo,
  outH: number,
  outW: number,
  sH: number,
  sW: number,
  top: number,
  left: number,
): TensorInfo {
  const [n, dyH, dyW, c] = as4d(dy.shape, 'dy');
  const out = alloc(backend, [n, outH, outW, c]);
  const heap = wholeHeapF32(backend);
  const src = offsetF32(backend, dy);
  const dst = offsetF32(backend, out);
  heap.fill(0, dst, dst + n * outH * outW * c);
  // Columns of dy that land inside the buffer.
  const ow0 = Math.max(0, Math.ceil(-left / sW));
  const ow1 = Math.min(dyW, Math.floor((outW - 1 - left) / sW) + 1);
  if (ow1 <= ow0) return out;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < dyH; oh++) {
      const r = oh * sH + top;
      if (r < 0 || r >= outH) continue;
      const srcRow = src + ((b * dyH + oh) * dyW) * c;
      const dstRow = dst + ((b * outH + r) * outW) * c;
      if (sW === 1) {
        heap.copyWithin(dstRow + (ow0 + left) * c, srcRow + ow0 * c, srcRow + ow1 * c);
      } else if (c === 1) {
        for (let ow = ow0; ow < ow1; ow++) heap[dstRow + ow * sW + left] = heap[srcRow + ow];
      } else {
        for (let ow = ow0; ow < ow1; ow++) {
          const s = srcRow + ow * c;
          heap.copyWithin(dstRow + (ow * sW + left) * c, s, s + c);
        }
      }
    }
  }
  return out;
}

export function makeConv2DBackpropInput(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const dataFormat = tf.backend_util.convertConv2DDataFormat(a.dataFormat);
    if (dataFormat !== 'channelsLast' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      if (fallback) return fallback(args);
      throw new Error(`Conv2DBackpropInput on wasm supports float32 NHWC only, got ${a.dataFormat}`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad,
      a.dimRoundingMode, false, dataFormat);
    if (info.inChannels <= COL2IM_MAX_CHANNELS) return backpropInputByCol2im(backend, dy, filter, info);
    const byPhases = backpropInputByPhases(backend, dy, filter, info);
    if (byPhases) return byPhases;
    const { filterHeight: fH, filterWidth: fW, inHeight, inWidth } = info;
    const spread = spreadAndPad(
      backend, dy, inHeight + fH - 1, inWidth + fW - 1, info.strideHeight, info.strideWidth,
      fH - 1 - info.padInfo.top, fW - 1 - info.padInfo.left);
    const flipped = flipSwapFilter(backend, filter);
    try {
      return runWasm('Conv2D', backend, { x: spread, filter: flipped }, {
        strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC',
      });
    } finally {
      free(backend, spread, flipped);
    }
  };
}
