import { NodeError, type ParamsOf, type Shape } from '../types';
import { torchExporter, type TorchLayerContext, type TorchWeight } from '../torch-exporter';
import type { conv2d } from './conv';
import { GLOROT, glorot } from './init.torch';
import { torchActivation } from './activations.torch';

type P = ParamsOf<typeof conv2d.params>;

/** TensorFlow's "same" padding along one axis of length n: [before, after] (the extra one after). */
export function samePadding(n: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + kernel - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function convWeights(ctx: TorchLayerContext<P>): TorchWeight[] {
  const { attr, params: p, tfjsName } = ctx;
  if (p.spectralNorm) throw new NodeError('uses spectral norm, which the PyTorch export does not write yet: turn it off to export');
  return [
    { torch: `${attr}.weight`, tfjs: `${tfjsName()}/kernel`, layout: 'conv' },
    ...(p.useBias ? [{ torch: `${attr}.bias`, tfjs: `${tfjsName()}/bias`, layout: 'same' as const }] : []),
  ];
}

const bias = (p: P) => (p.useBias ? '' : ', bias=False');

export const conv2dTorch = torchExporter<P>({
  type: 'conv2d',
  layer(ctx) {
    const { attr, params: p, inputs } = ctx;
    const [, h, w, cin] = inputs.in as [null, number, number, number];
    const weights = convWeights(ctx);
    const [top, bottom] = p.padding === 'same' ? samePadding(h, p.kernelSize, p.strides) : [0, 0];
    const [left, right] = p.padding === 'same' ? samePadding(w, p.kernelSize, p.strides) : [0, 0];
    const symmetric = top === bottom && left === right;
    const padding = symmetric ? (top === left ? `${top}` : `(${top}, ${left})`) : '0';
    return {
      init: [`self.${attr} = ${glorot(`nn.Conv2d(${cin}, ${p.filters}, ${p.kernelSize}, stride=${p.strides}, padding=${padding}${bias(p)})`)}`],
      helpers: { glorot: GLOROT },
      // TensorFlow puts an odd padding's extra row and column after; PyTorch pads evenly, so pad first.
      forward: ({ in: x }) => ({
        out: torchActivation(p.activation, `self.${attr}(${symmetric ? x : `F.pad(${x}, (${left}, ${right}, ${top}, ${bottom}))`})`),
      }),
      weights,
    };
  },
});

export const conv2dTransposeTorch = torchExporter<P>({
  type: 'conv2dTranspose',
  layer(ctx) {
    const { attr, params: p, inputs, outputs } = ctx;
    const [, h, w, cin] = inputs.in as [null, number, number, number];
    const [, oh, ow] = outputs.out as Shape as [null, number, number];
    const weights = convWeights(ctx);
    const k = p.kernelSize;
    const s = p.strides;
    // The full transposed convolution is (n − 1)·s + k long; TensorFlow crops `before` from its start.
    const crop = (n: number) => (p.padding === 'same' ? samePadding(n * s, k, s)[0] : 0);
    const full = (n: number) => (n - 1) * s + k;
    const [ch, cw] = [crop(h), crop(w)];
    // PyTorch crops `padding` from both ends and adds `output_padding` at the end, which fits when the
    // crop after is the crop before or less.
    const fits = (c: number, n: number, o: number) => full(n) - c - o <= c && c - (full(n) - c - o) < s;
    const native = ch === cw && fits(ch, h, oh) && fits(cw, w, ow);
    const outPad = (c: number, n: number, o: number) => o - (full(n) - 2 * c);
    const [oph, opw] = [outPad(ch, h, oh), outPad(cw, w, ow)];
    const args = native
      ? `padding=${ch}${oph || opw ? `, output_padding=${oph === opw ? oph : `(${oph}, ${opw})`}` : ''}`
      : `padding=0`;
    return {
      init: [`self.${attr} = ${glorot(`nn.ConvTranspose2d(${cin}, ${p.filters}, ${k}, stride=${s}, ${args}${bias(p)})`)}`],
      helpers: { glorot: GLOROT },
      forward: ({ in: x }) => ({
        out: torchActivation(p.activation, native ? `self.${attr}(${x})` : `self.${attr}(${x})[:, :, ${ch}:${ch + oh}, ${cw}:${cw + ow}]`),
      }),
      weights,
    };
  },
});
