// conv2d, conv2dTranspose and depthwise gradients on wasm (our kernels) against the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, gradsOf, rand, runOn, setupBackends } from './parity';

beforeAll(setupBackends);

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: number;
  pad: Pad;
}

// Odd and even sizes, non-square images and kernels, batch and channels above one.
const CASES: Case[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as Pad[]) {
    CASES.push({ x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride, pad });
    CASES.push({ x: [3, 8, 6, 2], f: [4, 4, 2, 5], stride, pad });
    CASES.push({ x: [2, 5, 9, 1], f: [5, 2, 1, 3], stride, pad });
    CASES.push({ x: [1, 6, 6, 4], f: [1, 1, 4, 2], stride, pad });
    // More than four input channels: the input gradient takes the phase-conv path, not col2im.
    CASES.push({ x: [2, 7, 6, 6], f: [3, 3, 6, 4], stride, pad });
    CASES.push({ x: [2, 8, 8, 5], f: [4, 4, 5, 3], stride, pad });
  }
}
const name = (c: Case) => `x ${c.x} f ${c.f} stride ${c.stride} ${c.pad}`;

describe('conv2d on wasm matches cpu', () => {
  it.each(CASES)('forward and both gradients: %s', async (c) => {
    await expectParity(name(c), [rand(c.x, 1), rand(c.f, 2)],
      gradsOf((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad)));
  });

  it('filter gradient split into chunks over positions (k ≥ 256, many output channels)', async () => {
    // 3·10·10 = 300 positions in two chunks, the split falling inside an image.
    await expectParity('chunked', [rand([3, 10, 10, 16], 5), rand([3, 10, 10, 512], 6)], (x, dy) =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 16, 512] } as unknown as tf.NamedAttrMap) as tf.Tensor);
  });

  it('explicit padding larger than the kernel reach', async () => {
    const pad: [[number, number], [number, number], [number, number], [number, number]] =
      [[0, 0], [3, 1], [0, 2], [0, 0]];
    await expectParity('explicit', [rand([2, 5, 6, 2], 3), rand([2, 3, 2, 3], 4)],
      gradsOf((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [2, 1], pad)));
  });
});

describe('conv2dTranspose on wasm matches cpu', () => {
  it.each(CASES)('forward and both gradients: %s', async (c) => {
    // conv2dTranspose's input is the forward conv's output, its filter the same [fH, fW, in, out].
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.stride, 1, c.pad);
    const dyShape = info.outShape;
    await expectParity(name(c), [rand(dyShape, 5), rand(c.f, 6)],
      gradsOf((y, f) => tf.conv2dTranspose(y as tf.Tensor4D, f as tf.Tensor4D, c.x, c.stride, c.pad)));
  });
});

describe('depthwiseConv2d gradients on wasm match cpu', () => {
  const depthwise: [number[], number[], number, Pad, number][] = [
    [[2, 7, 7, 3], [3, 3, 3, 2], 1, 'same', 1],
    [[2, 8, 5, 2], [2, 3, 2, 1], 2, 'valid', 1],
    [[1, 9, 9, 2], [3, 3, 2, 3], 2, 'same', 1],
  ];
  it.each(depthwise)('x %s f %s stride %s %s dilation %s', async (xs, fs, stride, pad, dil) => {
    await expectParity('depthwise', [rand(xs, 7), rand(fs, 8)],
      gradsOf((x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad, 'NHWC', dil)));
  });

  // tfjs' depthwise gradient refuses dilation and the cpu backprop kernels ignore it, so the
  // dilated kernels are checked as adjoints of wasm's forward depthwiseConv2d instead:
  // <conv(x, f), dy> = <x, backpropInput(dy, f)> = <f, backpropFilter(x, dy)>.
  it('backprop kernels with dilation 2 are adjoints of the forward op', async () => {
    const x: [number, number, number, number] = [2, 9, 8, 2];
    const f: [number, number, number, number] = [3, 2, 2, 2];
    const attrs = { strides: 1, dilations: 2, pad: 'valid' as const };
    const info = tf.backend_util.computeConv2DInfo(x, f, 1, 2, 'valid', undefined, true);
    const [fwd, viaInput, viaFilter] = await runOn('wasm', [rand(info.outShape, 12), rand(f, 13), rand(x, 14)], (dy, fl, xs) => [
      tf.sum(tf.mul(tf.depthwiseConv2d(xs as tf.Tensor4D, fl as tf.Tensor4D, 1, 'valid', 'NHWC', 2), dy)),
      tf.sum(tf.mul(xs, tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: fl }, { ...attrs, inputShape: x }) as tf.Tensor)),
      tf.sum(tf.mul(fl, tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x: xs, dy }, { ...attrs, filterShape: f }) as tf.Tensor)),
    ]);
    expect(Math.abs(fwd.values[0])).toBeGreaterThan(0.1);
    expect(viaInput.values[0]).toBeCloseTo(fwd.values[0], 3);
    expect(viaFilter.values[0]).toBeCloseTo(fwd.values[0], 3);
  });

  it('separableConv2d trains through depthwise and pointwise gradients', async () => {
    await expectParity('separable', [rand([2, 6, 6, 2], 9), rand([3, 3, 2, 2], 10), rand([1, 1, 4, 3], 11)],
      gradsOf((x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same')));
  });
});
