import type { ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import type { minibatchStddev } from './minibatch-stddev';

const HELPER = `def minibatch_stddev(x, group_size):
    """Karras et al. 2018: appends the average standard deviation over groups of examples as one more feature."""
    batch = x.shape[0]
    g = min(group_size, batch)
    while batch % g:
        g -= 1  # the largest group that divides the batch
    grouped = x.reshape(g, batch // g, *x.shape[1:])  # (G, M, ...)
    std = (grouped.var(dim=0, unbiased=False) + 1e-8).sqrt()  # (M, ...)
    per_group = std.flatten(1).mean(dim=1)  # (M,)
    feature = per_group.repeat(g)  # (B,): example i is in group i mod M
    if x.dim() == 4:
        return torch.cat([x, feature.view(batch, 1, 1, 1).expand(batch, 1, *x.shape[2:])], dim=1)
    return torch.cat([x, feature.view(batch, *([1] * (x.dim() - 1))).expand(*x.shape[:-1], 1)], dim=-1)
`;

export const minibatchStddevTorch = torchExporter<ParamsOf<typeof minibatchStddev.params>>({
  type: 'minibatchStddev',
  layer({ params: p }) {
    return {
      init: [],
      forward: ({ in: x }) => ({ out: `minibatch_stddev(${x}, ${p.groupSize})` }),
      weights: [],
      helpers: { minibatch_stddev: HELPER },
    };
  },
});
