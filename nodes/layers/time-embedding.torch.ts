import type { ParamsOf } from '../types';
import { torchExporter } from '../torch-exporter';
import { GLOROT, glorot } from './init.torch';
import type { timeEmbedding } from './time-embedding';

const SINUSOIDAL = `def sinusoidal_embedding(t, dim, max_period):
    """The step t (B, 1) as dim/2 sines then dim/2 cosines of t at frequencies max_period^(-k/(dim/2))."""
    half = dim // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32, device=t.device) * (-math.log(max_period) / half))  # (half,)
    angles = t.reshape(-1, 1) * freqs  # (B, half)
    return torch.cat([angles.sin(), angles.cos()], dim=1)  # (B, dim)
`;

export const timeEmbeddingTorch = torchExporter<ParamsOf<typeof timeEmbedding.params>>({
  type: 'timeEmbedding',
  layer({ attr, params: p, tfjsName }) {
    const sin = (t: string) => `sinusoidal_embedding(${t}, ${p.dim}, ${p.maxPeriod})`;
    return {
      init: p.mlp ? [`self.${attr} = ${glorot(`nn.Linear(${p.dim}, ${p.dim})`)}`] : [],
      forward: ({ in: t }) => ({ out: p.mlp ? `F.silu(self.${attr}(${sin(t)}))` : sin(t) }),
      weights: p.mlp
        ? [
            { torch: `${attr}.weight`, tfjs: `${tfjsName('mlp')}/kernel`, layout: 'linear' },
            { torch: `${attr}.bias`, tfjs: `${tfjsName('mlp')}/bias`, layout: 'same' },
          ]
        : [],
      helpers: { sinusoidal_embedding: SINUSOIDAL, ...(p.mlp ? { glorot: GLOROT } : {}) },
    };
  },
});
