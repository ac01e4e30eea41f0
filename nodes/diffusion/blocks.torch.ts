// The U-Net blocks in PyTorch: the residual block and spatial attention, as modules in model.py.
import type { ParamsOf } from '../types';
import { torchExporter, type TorchWeight } from '../torch-exporter';
import { ATTENTION } from '../transformer/transformer.torch';
import type { labelDropout } from './label-dropout';
import type { resBlock } from './res-block';
import { GLOROT } from '../layers/init.torch';
import type { spatialAttention } from './spatial-attention';

const RES_BLOCK = `class ResBlock(nn.Module):
    """x + conv(SiLU(GN(conv(SiLU(GN(x))) + dense(emb)))); a 1x1 conv on x when the channels change."""

    def __init__(self, c_in, c_out, groups, emb_dim):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in, eps=1e-5)
        self.conv1 = glorot(nn.Conv2d(c_in, c_out, 3, padding=1))
        self.time = glorot(nn.Linear(emb_dim, c_out)) if emb_dim else None
        self.norm2 = nn.GroupNorm(groups, c_out, eps=1e-5)
        self.conv2 = glorot(nn.Conv2d(c_out, c_out, 3, padding=1))
        self.skip = glorot(nn.Conv2d(c_in, c_out, 1)) if c_in != c_out else None

    def forward(self, x, emb=None):
        h = self.conv1(F.silu(self.norm1(x)))  # (B, F, H, W)
        if self.time is not None:
            h = h + self.time(emb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))  # (B, F, H, W)
        return (x if self.skip is None else self.skip(x)) + h
`;

const SPATIAL_ATTENTION = `class SpatialAttention(nn.Module):
    """x + self-attention(GN(x)) over the h*w positions of a feature map."""

    def __init__(self, channels, heads, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=1e-5)
        self.attn = SelfAttention(channels, heads, channels // heads, False, 0.0)

    def forward(self, x):
        B, C, H, W = x.shape
        tokens = self.norm(x).flatten(2).transpose(1, 2)  # (B, H*W, C)
        return x + self.attn(tokens).transpose(1, 2).reshape(B, C, H, W)
`;

const conv = (torch: string, tfjs: string): TorchWeight[] => [
  { torch: `${torch}.weight`, tfjs: `${tfjs}/kernel`, layout: 'conv' },
  { torch: `${torch}.bias`, tfjs: `${tfjs}/bias`, layout: 'same' },
];
const norm = (torch: string, tfjs: string): TorchWeight[] => [
  { torch: `${torch}.weight`, tfjs: `${tfjs}/gamma`, layout: 'same' },
  { torch: `${torch}.bias`, tfjs: `${tfjs}/beta`, layout: 'same' },
];

export const resBlockTorch = torchExporter<ParamsOf<typeof resBlock.params>>({
  type: 'resBlock',
  layer({ attr, params: p, inputs, tfjsName }) {
    const c = inputs.in[3] as number;
    const d = inputs.emb ? (inputs.emb[1] as number) : 0;
    return {
      init: [`self.${attr} = ResBlock(${c}, ${p.filters}, ${p.groups}, ${d})`],
      forward: ({ in: x, emb }) => ({ out: d ? `self.${attr}(${x}, ${emb})` : `self.${attr}(${x})` }),
      weights: [
        ...norm(`${attr}.norm1`, tfjsName('norm1')),
        ...conv(`${attr}.conv1`, tfjsName('conv1')),
        ...(d
          ? [
              { torch: `${attr}.time.weight`, tfjs: `${tfjsName('time')}/kernel`, layout: 'linear' as const },
              { torch: `${attr}.time.bias`, tfjs: `${tfjsName('time')}/bias`, layout: 'same' as const },
            ]
          : []),
        ...norm(`${attr}.norm2`, tfjsName('norm2')),
        ...conv(`${attr}.conv2`, tfjsName('conv2')),
        ...(c === p.filters ? [] : conv(`${attr}.skip`, tfjsName('skip'))),
      ],
      helpers: { glorot: GLOROT, ResBlock: RES_BLOCK },
    };
  },
});

export const spatialAttentionTorch = torchExporter<ParamsOf<typeof spatialAttention.params>>({
  type: 'spatialAttention',
  layer({ attr, params: p, inputs, tfjsName }) {
    const c = inputs.in[3] as number;
    const a = tfjsName('attention');
    return {
      init: [`self.${attr} = SpatialAttention(${c}, ${p.heads}, ${p.groups})`],
      forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }),
      weights: [
        ...norm(`${attr}.norm`, tfjsName('norm')),
        { torch: `${attr}.attn.qkv.weight`, tfjs: `${a}/qkv/kernel`, layout: 'linear' },
        { torch: `${attr}.attn.qkv.bias`, tfjs: `${a}/qkv/bias`, layout: 'same' },
        { torch: `${attr}.attn.out.weight`, tfjs: `${a}/out/kernel`, layout: 'linear' },
        { torch: `${attr}.attn.out.bias`, tfjs: `${a}/out/bias`, layout: 'same' },
      ],
      helpers: { glorot: GLOROT, SelfAttention: ATTENTION, SpatialAttention: SPATIAL_ATTENTION },
    };
  },
});

export const labelDropoutTorch = torchExporter<ParamsOf<typeof labelDropout.params>>({
  type: 'labelDropout',
  run(ctx) {
    const label = ctx.input('label');
    return {
      lines: [`${ctx.out('out')} = ${label} * (torch.rand(${label}.shape[0], 1, device=${label}.device) >= ${ctx.params.rate}).float()  # no class for some`],
    };
  },
  // Sampling asks for every class in turn (the dataset's labels), without dropping any.
  sample(ctx) {
    return { lines: [`${ctx.out('out')} = ${ctx.input('label')}`] };
  },
});
