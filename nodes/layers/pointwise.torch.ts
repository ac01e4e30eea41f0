import type { ParamsOf } from '../types';
import { py, torchExporter } from '../torch-exporter';
import type { activation, dropout } from './pointwise';
import { torchActivation } from './activations.torch';

export const activationTorch = torchExporter<ParamsOf<typeof activation.params>>({
  type: 'activation',
  layer({ params: p }) {
    return { init: [], forward: ({ in: x }) => ({ out: torchActivation(p.activation, x, p.alpha) }), weights: [] };
  },
});

export const dropoutTorch = torchExporter<ParamsOf<typeof dropout.params>>({
  type: 'dropout',
  layer({ attr, params: p }) {
    return { init: [`self.${attr} = nn.Dropout(${py(p.rate)})`], forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }), weights: [] };
  },
});
