import type { ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import type { flatten, reshape } from './reshape';

/** An image's values in Genloom's order (channels last), which reshapes and flattens follow. */
const channelsLast = (x: string, rank: number) => (rank === 4 ? `${x}.permute(0, 2, 3, 1)` : x);

export const reshapeTorch = torchExporter<ParamsOf<typeof reshape.params>>({
  type: 'reshape',
  layer({ params: p, inputs }) {
    const rank = inputs.in.length;
    const target = p.targetShape.join(', ');
    return {
      init: [],
      forward: ({ in: x }) => {
        const y = `${channelsLast(x, rank)}.reshape(-1, ${target})`;
        return { out: p.targetShape.length === 3 ? `${y}.permute(0, 3, 1, 2)` : y };
      },
      weights: [],
    };
  },
});

export const flattenTorch = torchExporter<ParamsOf<typeof flatten.params>>({
  type: 'flatten',
  layer({ inputs }) {
    const rank = inputs.in.length;
    return { init: [], forward: ({ in: x }) => ({ out: rank <= 2 ? x : `${channelsLast(x, rank)}.flatten(1)` }), weights: [] };
  },
});
