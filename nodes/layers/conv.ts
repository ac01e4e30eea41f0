// Convolutions over images: conv2d (feature extraction, downsampling) and conv2dTranspose (learned upsampling).
import * as tf from '@tensorflow/tfjs';
import { defineNode, type BuildContext, type ParamsOf } from '../types';
import { activationLayer, builtInActivation, OPTIONAL_ACTIVATIONS, WEIGHTED_DESIGN, type ActivationName, type TfActivation } from './activations';
import { lazyConv2d } from './lazy-grad';
import { SPECTRAL_NORM_PARAM, withSpectralNorm } from './spectral-norm';
import { imageInput, windowOut } from './spatial';

const convParams = {
  filters: { kind: 'int', default: 32, min: 1, max: 4096, doc: 'Output channels.' },
  kernelSize: { kind: 'int', default: 3, min: 1, max: 15, label: 'kernel', doc: 'Square kernel side.' },
  strides: { kind: 'int', default: 1, min: 1, max: 8, doc: 'Step between kernel positions.' },
  padding: { kind: 'enum', default: 'same', options: ['same', 'valid'] as const },
  activation: { kind: 'enum', default: 'none', options: OPTIONAL_ACTIVATIONS },
  useBias: { kind: 'bool', default: true },
  spectralNorm: SPECTRAL_NORM_PARAM,
} as const;

type ConvParams = ParamsOf<typeof convParams>;

function convCount(inputs: Record<string, (number | null)[]>, p: ConvParams): number {
  const cin = inputs.in?.[3] ?? 0;
  return p.kernelSize * p.kernelSize * cin * p.filters + (p.useBias ? p.filters : 0);
}

/**
 * A conv layer with its activation: inside the layer where tfjs has it (fused for relu), else
 * (leakyRelu) as a separate layer; spectrally normalised if asked.
 */
function withActivation(make: (activation: TfActivation | undefined) => tf.layers.Layer, p: ConvParams, actName: string, seed: number) {
  const inside = builtInActivation(p.activation);
  const stock = make(inside);
  const layer = p.spectralNorm ? withSpectralNorm(stock, 1, seed + 1) : stock;
  const act = p.activation === 'none' || inside ? null : activationLayer(p.activation as ActivationName, actName);
  return ({ in: x }: Record<string, tf.SymbolicTensor>) => {
    const y = layer.apply(x) as tf.SymbolicTensor;
    return { out: act ? (act.apply(y) as tf.SymbolicTensor) : y };
  };
}

/** The same build for both conv kinds: they take the same arguments. */
function convBuild(make: (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer) {
  return (p: ConvParams, _inputs: unknown, ctx: BuildContext) =>
    withActivation(
      (activation) =>
        make({
          filters: p.filters,
          kernelSize: p.kernelSize,
          strides: p.strides,
          padding: p.padding,
          useBias: p.useBias,
          name: ctx.layerName(),
          activation,
          kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
        }),
      p,
      ctx.layerName('act'),
      ctx.seed,
    );
}

export const conv2d = defineNode({
  type: 'conv2d',
  label: 'Conv 2D',
  category: 'layers',
  role: 'layer',
  doc: 'Slides learned k×k filters over an image; strides above 1 downsample.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: convParams,
  keyParams: ['filters', 'kernelSize', 'strides', 'activation'],
  design: WEIGHTED_DESIGN,
  inferShapes(inputs, p) {
    const [h, w] = imageInput(inputs);
    return {
      out: [
        null,
        windowOut(h, p.kernelSize, p.strides, p.padding, 'kernelSize'),
        windowOut(w, p.kernelSize, p.strides, p.padding, 'kernelSize'),
        p.filters,
      ],
    };
  },
  countParams: convCount,
  build: convBuild((args) => lazyConv2d(tf.layers.conv2d(args))),
});

/** Transposed-convolution output length, as tfjs computes it (conv_utils.deconvLength). */
function deconvOut(size: number | null, kernel: number, stride: number, padding: 'same' | 'valid'): number | null {
  if (size === null) return null;
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

export const conv2dTranspose = defineNode({
  type: 'conv2dTranspose',
  label: 'Conv 2D transpose',
  category: 'layers',
  role: 'layer',
  doc: 'Learned upsampling: a transposed convolution; with padding "same", strides s multiply height and width by s.',
  inputs: [{ id: 'in', kind: 'tensor' }],
  outputs: [{ id: 'out', kind: 'tensor' }],
  params: convParams,
  keyParams: ['filters', 'kernelSize', 'strides', 'activation'],
  design: WEIGHTED_DESIGN,
  inferShapes(inputs, p) {
    const [h, w] = imageInput(inputs);
    return {
      out: [
        null,
        deconvOut(h, p.kernelSize, p.strides, p.padding),
        deconvOut(w, p.kernelSize, p.strides, p.padding),
        p.filters,
      ],
    };
  },
  countParams: convCount,
  // Each input pixel scatters k·k·filters values: the weights are used once per input position.
  flops(inputs, p) {
    const [, h, w, cin] = inputs.in ?? [];
    const outValues = (deconvOut(h ?? 0, p.kernelSize, p.strides, p.padding) ?? 0) * (deconvOut(w ?? 0, p.kernelSize, p.strides, p.padding) ?? 0) * p.filters;
    return 2 * (h ?? 0) * (w ?? 0) * p.kernelSize * p.kernelSize * (cin ?? 0) * p.filters + outValues;
  },
  build: convBuild(tf.layers.conv2dTranspose),
});

export const convNodes = [conv2d, conv2dTranspose];
