import { NodeError, type ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import type { pooling, upsample } from './resample';
import { samePadding } from './conv.torch';

export const upsampleTorch = torchExporter<ParamsOf<typeof upsample.params>>({
  type: 'upsample',
  layer({ attr, params: p }) {
    // tfjs resizes bilinearly without half-pixel centres, which no PyTorch mode reproduces.
    if (p.interpolation !== 'nearest') throw new NodeError('interpolates bilinearly, which the PyTorch export does not reproduce: use nearest to export', 'interpolation');
    return {
      init: [`self.${attr} = nn.Upsample(scale_factor=${p.factor}, mode="nearest")`],
      forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }),
      weights: [],
    };
  },
});

export const poolingTorch = torchExporter<ParamsOf<typeof pooling.params>>({
  type: 'pooling',
  layer({ attr, params: p, inputs }) {
    const [, h, w] = inputs.in as [null, number, number];
    const [top, bottom] = p.padding === 'same' ? samePadding(h, p.poolSize, p.strides) : [0, 0];
    const [left, right] = p.padding === 'same' ? samePadding(w, p.poolSize, p.strides) : [0, 0];
    if (top !== bottom || left !== right || top !== left)
      throw new NodeError(`pads unevenly with "same" at this input size (${h}×${w}), which the PyTorch export does not reproduce: use valid padding`, 'padding');
    const args = `${p.poolSize}, stride=${p.strides}${top ? `, padding=${top}` : ''}`;
    const module = p.mode === 'max' ? `nn.MaxPool2d(${args})` : `nn.AvgPool2d(${args}${top ? ', count_include_pad=False' : ''})`;
    return { init: [`self.${attr} = ${module}`], forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }), weights: [] };
  },
});
