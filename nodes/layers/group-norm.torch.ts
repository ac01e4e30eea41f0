import type { ParamsOf } from '../types';
import { py, torchExporter } from '../torch-exporter';
import type { groupNorm } from './group-norm';

export const groupNormTorch = torchExporter<ParamsOf<typeof groupNorm.params>>({
  type: 'groupNorm',
  layer({ attr, params: p, inputs, tfjsName }) {
    const x = inputs.in;
    const c = x[x.length - 1] as number;
    return {
      // nn.GroupNorm reads channels at dim 1: images are already (B, C, H, W); a sequence turns around it.
      init: [`self.${attr} = nn.GroupNorm(${p.groups}, ${c}, eps=${py(p.epsilon)})`],
      forward: ({ in: h }) => ({ out: x.length === 3 ? `self.${attr}(${h}.transpose(1, 2)).transpose(1, 2)` : `self.${attr}(${h})` }),
      weights: [
        { torch: `${attr}.weight`, tfjs: `${tfjsName()}/gamma`, layout: 'same' },
        { torch: `${attr}.bias`, tfjs: `${tfjsName()}/beta`, layout: 'same' },
      ],
    };
  },
});
