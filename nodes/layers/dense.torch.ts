import { NodeError, type ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import type { dense } from './dense';
import { onLastAxis, torchActivation } from './activations.torch';
import { GLOROT, glorot } from './init.torch';

type P = ParamsOf<typeof dense.params>;

export const denseTorch = torchExporter<P>({
  type: 'dense',
  layer({ attr, params: p, inputs, tfjsName }) {
    if (p.spectralNorm) throw new NodeError('uses spectral norm, which the PyTorch export does not write yet: turn it off to export');
    const x = inputs.in;
    const fin = x[x.length - 1] as number;
    const linear = `nn.Linear(${fin}, ${p.units}${p.useBias ? '' : ', bias=False'})`;
    // init "uniform" is PyTorch's own default.
    const pytorchInit = p.init === 'uniform';
    return {
      init: [`self.${attr} = ${pytorchInit ? linear : glorot(linear)}`],
      ...(pytorchInit ? {} : { helpers: { glorot: GLOROT } }),
      forward: ({ in: h }) => ({ out: torchActivation(p.activation, onLastAxis(h, x.length, (v) => `self.${attr}(${v})`)) }),
      weights: [
        { torch: `${attr}.weight`, tfjs: `${tfjsName()}/kernel`, layout: 'linear' },
        ...(p.useBias ? [{ torch: `${attr}.bias`, tfjs: `${tfjsName()}/bias`, layout: 'same' as const }] : []),
      ],
    };
  },
});
