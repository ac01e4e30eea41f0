// Gradients of depthwiseConv2d (DepthwiseConv2dNativeBackpropInput / …BackpropFilter). Plain
// loops over wasm memory: depthwise layers are small and rare in generative models.
import * as tf from '@tensorflow/tfjs';
import { alloc, as4d, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-util';

type Info = tf.backend_util.Conv2DInfo;

/** Calls visit(dyBase, xBase, filterBase) for every (n, oh, ow, fh, fw) whose input pixel exists. */
function forEachTap(info: Info, visit: (dy: number, x: number, f: number) => void): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oH, outWidth: oW } = info;
  const { filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
  const { dilationHeight: dH, dilationWidth: dW, outChannels: oc } = info;
  const mult = oc / c;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++) {
        const dyBase = ((b * oH + oh) * oW + ow) * oc;
        for (let fh = 0; fh < fH; fh++) {
          const y = oh * sH + fh * dH - info.padInfo.top;
          if (y < 0 || y >= h) continue;
          for (let fw = 0; fw < fW; fw++) {
            const x = ow * sW + fw * dW - info.padInfo.left;
            if (x < 0 || x >= w) continue;
            visit(dyBase, ((b * h + y) * w + x) * c, (fh * fW + fw) * c * mult);
          }
        }
      }
    }
  }
}

type Geometry = Pick<tf.DepthwiseConv2dNativeBackpropInputAttrs, 'strides' | 'dilations' | 'pad' | 'dimRoundingMode'>;

function depthwiseInfo(xShape: number[], filterShape: number[], a: Geometry): Info {
  return tf.backend_util.computeConv2DInfo(
    as4d(xShape, 'x'), as4d(filterShape, 'filter'), a.strides, a.dilations, a.pad,
    a.dimRoundingMode, true);
}

export const depthwiseBackpropInput: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const c = info.inChannels;
  const mult = info.outChannels / c;
  const out = alloc(backend, info.inShape);
  const dx = heapF32(backend, out);
  const g = heapF32(backend, dy);
  const f = heapF32(backend, filter);
  dx.fill(0);
  forEachTap(info, (d, x, k) => {
    for (let ch = 0; ch < c; ch++) {
      let acc = 0;
      for (let m = 0; m < mult; m++) acc += g[d + ch * mult + m] * f[k + ch * mult + m];
      dx[x + ch] += acc;
    }
  });
  return out;
};

export const depthwiseBackpropFilter: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as WasmKernelArgs;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const c = info.inChannels;
  const mult = info.outChannels / c;
  const out = alloc(backend, [...a.filterShape]);
  const dw = heapF32(backend, out);
  const g = heapF32(backend, dy);
  const xs = heapF32(backend, x);
  dw.fill(0);
  forEachTap(info, (d, xi, k) => {
    for (let ch = 0; ch < c; ch++) {
      const xv = xs[xi + ch];
      for (let m = 0; m < mult; m++) dw[k + ch * mult + m] += xv * g[d + ch * mult + m];
    }
  });
  return out;
};
