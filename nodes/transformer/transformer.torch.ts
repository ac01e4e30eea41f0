import type { ParamsOf } from '../types';
import { py, torchExporter, type TorchWeight } from '../torch-exporter';
import { torchActivationModule } from '../layers/activations.torch';
import { headSizeFor, type multiHeadAttention } from './attention';
import type { feedForward, lmHead, transformerBlock } from './block';
import { GLOROT } from '../layers/init.torch';
import type { positionalEmbedding, tokenEmbedding } from './embedding';

export const ATTENTION = `class SelfAttention(nn.Module):
    """Multi-head self-attention softmax(QK^T/sqrt(d))V, one projection for q, k and v."""

    def __init__(self, dim, heads, head_size, causal, dropout):
        super().__init__()
        self.heads, self.head_size, self.causal = heads, head_size, causal
        self.qkv = glorot(nn.Linear(dim, 3 * heads * head_size))
        self.out = glorot(nn.Linear(heads * head_size, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(self.heads * self.head_size, dim=2)  # each (B, T, nh*hs)
        q = q.view(B, T, self.heads, self.head_size).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.heads, self.head_size).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.heads, self.head_size).transpose(1, 2)  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_size)  # (B, nh, T, T)
        if self.causal:
            mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
            att = att.masked_fill(mask, float("-inf"))
        att = self.drop(att.softmax(dim=-1))
        y = (att @ v).transpose(1, 2).reshape(B, T, self.heads * self.head_size)  # (B, T, nh*hs)
        return self.drop(self.out(y))  # (B, T, C)
`;

const FEED_FORWARD = `class FeedForward(nn.Module):
    """Position-wise MLP: width -> hidden (activation) -> width."""

    def __init__(self, dim, hidden, activation, dropout):
        super().__init__()
        self.up = glorot(nn.Linear(dim, hidden))
        self.act = activation
        self.down = glorot(nn.Linear(hidden, dim))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.down(self.act(self.up(x))))
`;

const BLOCK = `class Block(nn.Module):
    """Pre-norm GPT block: x + attention(norm(x)), then x + feed-forward(norm(x))."""

    def __init__(self, dim, heads, head_size, causal, dropout, hidden, activation):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn = SelfAttention(dim, heads, head_size, causal, dropout)
        self.ln2 = nn.LayerNorm(dim, eps=1e-5)
        self.ff = FeedForward(dim, hidden, activation, dropout)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))  # (B, T, C)
        return x + self.ff(self.ln2(x))  # (B, T, C)
`;

const linear = (torch: string, tfjs: string): TorchWeight[] => [
  { torch: `${torch}.weight`, tfjs: `${tfjs}/kernel`, layout: 'linear' },
  { torch: `${torch}.bias`, tfjs: `${tfjs}/bias`, layout: 'same' },
];
const norm = (torch: string, tfjs: string): TorchWeight[] => [
  { torch: `${torch}.weight`, tfjs: `${tfjs}/gamma`, layout: 'same' },
  { torch: `${torch}.bias`, tfjs: `${tfjs}/beta`, layout: 'same' },
];
const attentionWeights = (torch: string, tfjs: string) => [...linear(`${torch}.qkv`, `${tfjs}/qkv`), ...linear(`${torch}.out`, `${tfjs}/out`)];
const width = (shape: (number | null)[]) => shape[shape.length - 1] as number;

export const tokenEmbeddingTorch = torchExporter<ParamsOf<typeof tokenEmbedding.params>>({
  type: 'tokenEmbedding',
  layer({ attr, params: p, tfjsName }) {
    return {
      init: [`self.${attr} = nn.Embedding(${p.vocabSize}, ${p.dim})`, `nn.init.normal_(self.${attr}.weight, std=0.02)  # as Genloom (PyTorch's default is N(0, 1))`],
      forward: ({ tokens }) => ({ out: `self.${attr}(${tokens})` }),
      weights: [{ torch: `${attr}.weight`, tfjs: `${tfjsName()}/embeddings`, layout: 'same' }],
    };
  },
});

const SINUSOID_TABLE = `def sinusoid_table(length, dim):
    """Vaswani et al. 2017: PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(p / 10000^(2i/d))."""
    p = torch.arange(length, dtype=torch.float64)[:, None]
    i = torch.arange(dim)
    angle = p / torch.pow(10000.0, (2 * (i // 2)).double() / dim)
    return torch.where(i % 2 == 0, angle.sin(), angle.cos()).float()  # (length, dim)
`;

export const positionalEmbeddingTorch = torchExporter<ParamsOf<typeof positionalEmbedding.params>>({
  type: 'positionalEmbedding',
  layer({ attr, params: p, inputs, tfjsName }) {
    const [, T, dim] = inputs.in as [null, number, number];
    if (p.mode === 'sinusoidal') {
      return {
        init: [`self.register_buffer("${attr}", sinusoid_table(${T}, ${dim}), persistent=False)`],
        forward: ({ in: x }) => ({ out: `${x} + self.${attr}[: ${x}.shape[1]]` }),
        weights: [],
        helpers: { sinusoid_table: SINUSOID_TABLE },
      };
    }
    return {
      init: [`self.${attr} = nn.Parameter(torch.randn(${T}, ${dim}) * 0.02)`],
      forward: ({ in: x }) => ({ out: `${x} + self.${attr}[: ${x}.shape[1]]` }),
      weights: [{ torch: attr, tfjs: `${tfjsName()}/positions`, layout: 'same' }],
    };
  },
});

export const multiHeadAttentionTorch = torchExporter<ParamsOf<typeof multiHeadAttention.params>>({
  type: 'multiHeadAttention',
  layer({ attr, params: p, inputs, tfjsName }) {
    const dim = width(inputs.in);
    return {
      init: [`self.${attr} = SelfAttention(${dim}, ${p.heads}, ${headSizeFor(p, dim)}, ${py(p.causal)}, ${py(p.dropout)})`],
      forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }),
      weights: attentionWeights(attr, tfjsName()),
      helpers: { glorot: GLOROT, SelfAttention: ATTENTION },
    };
  },
});

export const feedForwardTorch = torchExporter<ParamsOf<typeof feedForward.params>>({
  type: 'feedForward',
  layer({ attr, params: p, inputs, tfjsName }) {
    const dim = width(inputs.in);
    const hidden = p.units || p.multiplier * dim;
    return {
      init: [`self.${attr} = FeedForward(${dim}, ${hidden}, ${torchActivationModule(p.activation)}, ${py(p.dropout)})`],
      forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }),
      weights: [...linear(`${attr}.up`, tfjsName('up')), ...linear(`${attr}.down`, tfjsName('down'))],
      helpers: { glorot: GLOROT, FeedForward: FEED_FORWARD },
    };
  },
});

export const transformerBlockTorch = torchExporter<ParamsOf<typeof transformerBlock.params>>({
  type: 'transformerBlock',
  layer({ attr, params: p, inputs, tfjsName }) {
    const dim = width(inputs.in);
    const args = [dim, p.heads, headSizeFor(p, dim), py(p.causal), py(p.dropout), p.ffMultiplier * dim, torchActivationModule(p.activation)];
    return {
      init: [`self.${attr} = Block(${args.join(', ')})`],
      forward: ({ in: x }) => ({ out: `self.${attr}(${x})` }),
      weights: [
        ...norm(`${attr}.ln1`, tfjsName('ln1')),
        ...attentionWeights(`${attr}.attn`, tfjsName('attn')),
        ...norm(`${attr}.ln2`, tfjsName('ln2')),
        ...linear(`${attr}.ff.up`, tfjsName('ff_up')),
        ...linear(`${attr}.ff.down`, tfjsName('ff_down')),
      ],
      helpers: { glorot: GLOROT, SelfAttention: ATTENTION, FeedForward: FEED_FORWARD, Block: BLOCK },
    };
  },
});

export const lmHeadTorch = torchExporter<ParamsOf<typeof lmHead.params>>({
  type: 'lmHead',
  layer({ attr, params: p, inputs, tfjsName }) {
    const dim = width(inputs.in);
    return {
      init: [
        `self.${attr} = nn.Linear(${dim}, ${p.vocabSize}${p.useBias ? '' : ', bias=False'})`,
        `nn.init.normal_(self.${attr}.weight, std=0.02)  # as Genloom`,
        ...(p.useBias ? [`nn.init.zeros_(self.${attr}.bias)`] : []),
      ],
      forward: ({ in: x }) => ({ logits: `self.${attr}(${x})` }),
      weights: p.useBias ? linear(attr, tfjsName()) : [{ torch: `${attr}.weight`, tfjs: `${tfjsName()}/kernel`, layout: 'linear' }],
    };
  },
});
