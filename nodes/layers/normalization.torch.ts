import type { ParamsOf } from '../types';
import { py, pyFloat, torchExporter } from '../torch-exporter';
import type { batchNorm, layerNorm } from './normalization';

export const batchNormTorch = torchExporter<ParamsOf<typeof batchNorm.params>>({
  type: 'batchNorm',
  layer({ attr, params: p, inputs, tfjsName }) {
    const x = inputs.in;
    const c = x[x.length - 1] as number;
    const kind = x.length === 4 ? 'BatchNorm2d' : 'BatchNorm1d';
    const n = tfjsName();
    return {
      // Keras's momentum is how much of the running average stays; PyTorch's is how much moves.
      init: [`self.${attr} = nn.${kind}(${c}, eps=${py(p.epsilon)}, momentum=${pyFloat(Number((1 - p.momentum).toPrecision(12)))})`],
      // BatchNorm1d wants features at dim 1, so a sequence (B, T, C) turns around it.
      forward: ({ in: h }) => ({ out: x.length === 3 ? `self.${attr}(${h}.transpose(1, 2)).transpose(1, 2)` : `self.${attr}(${h})` }),
      weights: [
        { torch: `${attr}.weight`, tfjs: `${n}/gamma`, layout: 'same' },
        { torch: `${attr}.bias`, tfjs: `${n}/beta`, layout: 'same' },
        { torch: `${attr}.running_mean`, tfjs: `${n}/moving_mean`, layout: 'same' },
        { torch: `${attr}.running_var`, tfjs: `${n}/moving_variance`, layout: 'same' },
      ],
    };
  },
});

export const layerNormTorch = torchExporter<ParamsOf<typeof layerNorm.params>>({
  type: 'layerNorm',
  layer({ attr, params: p, inputs, tfjsName }) {
    const x = inputs.in;
    const c = x[x.length - 1] as number;
    return {
      init: [`self.${attr} = nn.LayerNorm(${c}, eps=${py(p.epsilon)})`],
      forward: ({ in: h }) => ({
        out: x.length === 4 ? `self.${attr}(${h}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `self.${attr}(${h})`,
      }),
      weights: [
        { torch: `${attr}.weight`, tfjs: `${tfjsName()}/gamma`, layout: 'same' },
        { torch: `${attr}.bias`, tfjs: `${tfjsName()}/beta`, layout: 'same' },
      ],
    };
  },
});
