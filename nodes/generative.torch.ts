import type { ParamsOf } from './types';
import { classifies } from './gan/auxiliary-classifier';
import { torchExporter } from './torch-exporter';
import type { discriminator } from './generative';

const JOIN_LABEL = `def join_label(x, label):
    """A conditional GAN's one-hot label joined to the data: as more features, or as channels at every pixel."""
    if x.dim() == 2:
        return torch.cat([x, label], dim=1)
    return torch.cat([x, label[:, :, None, None].expand(-1, -1, *x.shape[2:])], dim=1)
`;

const PACK = `def pack(x, m):
    """PacGAN: m consecutive examples side by side along the features (channels), judged as one."""
    b = x.shape[0]
    if x.dim() == 2:
        return x.reshape(b // m, m * x.shape[1])
    c = x.shape[1]
    return x.reshape(b // m, m * c, *x.shape[2:])
`;

export const discriminatorTorch = torchExporter<ParamsOf<typeof discriminator.params>>({
  type: 'discriminator',
  group(ctx) {
    const m = ctx.params.pack;
    // A classifying (AC-GAN or semi-supervised) discriminator does not see the label: the loss trains it to name it.
    const joins = ctx.has('label') && !classifies(ctx.params);
    const helpers: Record<string, string> = {};
    if (joins) helpers.join_label = JOIN_LABEL;
    if (m > 1) helpers.pack = PACK;
    return {
      prepare(x, c) {
        const joined = joins ? `join_label(${x}, ${c.input('label')})` : x;
        return m > 1 ? `pack(${joined}, ${m})` : joined;
      },
      helpers,
    };
  },
  // A GAN samples whatever feeds the generated-data input, from fresh noise (and every class in turn).
  sampler: (ctx) => ctx.evaluate(ctx.plan.refs.target),
});

