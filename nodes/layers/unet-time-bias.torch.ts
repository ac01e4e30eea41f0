import type { ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import { GLOROT, glorot } from './init.torch';
import type { timeBias } from './unet-time-bias';

export const timeBiasTorch = torchExporter<ParamsOf<typeof timeBias.params>>({
  type: 'timeBias',
  layer({ attr, params: p, inputs, tfjsName }) {
    const x = inputs.in;
    const c = x[x.length - 1] as number;
    const d = inputs.emb[1] as number;
    // The projected embedding (B, C) broadcast over every position: channels sit at dim 1 in an image.
    const at = x.length === 4 ? '[:, :, None, None]' : x.length === 3 ? '[:, None, :]' : '';
    return {
      init: [`self.${attr} = ${glorot(`nn.Linear(${d}, ${c})`)}`],
      helpers: { glorot: GLOROT },
      forward: ({ in: h, emb }) => ({ out: `${h} ${p.mode === 'scale' ? '*' : '+'} self.${attr}(${emb})${at}` }),
      weights: [
        { torch: `${attr}.weight`, tfjs: `${tfjsName('proj')}/kernel`, layout: 'linear' },
        { torch: `${attr}.bias`, tfjs: `${tfjsName('proj')}/bias`, layout: 'same' },
      ],
    };
  },
});
