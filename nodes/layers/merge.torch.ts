import type { ParamsOf } from '../types';
import { torchAxis, torchExporter } from '../torch-exporter';
import type { add, concat } from './merge';

const connected = (x: Record<string, string>) => ['a', 'b', 'c'].filter((k) => x[k] !== undefined).map((k) => x[k]);

export const concatTorch = torchExporter<ParamsOf<typeof concat.params>>({
  type: 'concat',
  layer({ params: p, inputs }) {
    const dim = torchAxis(p.axis, inputs.a.length);
    return { init: [], forward: (x) => ({ out: `torch.cat([${connected(x).join(', ')}], dim=${dim})` }), weights: [] };
  },
});

export const addTorch = torchExporter<ParamsOf<typeof add.params>>({
  type: 'add',
  layer() {
    return { init: [], forward: (x) => ({ out: connected(x).join(' + ') }), weights: [] };
  },
});
