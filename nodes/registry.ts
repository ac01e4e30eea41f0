// Every node type, in one array. The canvas palette, the validator and the compiler read only this.
import { dataNodes } from './data';
import { dense } from './layers/dense';
import { convNodes } from './layers/conv';
import { resampleNodes } from './layers/resample';
import { normalizationNodes } from './layers/normalization';
import { pointwiseNodes } from './layers/pointwise';
import { reshapeNodes } from './layers/reshape';
import { mergeNodes } from './layers/merge';
import { minibatchStddev } from './layers/minibatch-stddev';
import { generativeNodes } from './generative';
import { lossNodes } from './losses';
import { vaeNodes } from './vae';
import { diffusionNodes } from './diffusion/nodes';
import { timeEmbedding } from './layers/time-embedding';
import { timeBias } from './layers/unet-time-bias';
import { groupNorm } from './layers/group-norm';
import { resBlock } from './diffusion/res-block';
import { spatialAttention } from './diffusion/spatial-attention';
import { transformerNodes } from './transformer';
import { feedbackNodes } from './feedback';
import type { AnyNodeDefinition } from './types';

export const NODE_TYPES: readonly AnyNodeDefinition[] = [
  ...dataNodes,
  dense,
  ...convNodes,
  ...resampleNodes,
  ...normalizationNodes,
  groupNorm,
  ...pointwiseNodes,
  ...reshapeNodes,
  ...mergeNodes,
  minibatchStddev,
  ...generativeNodes,
  ...lossNodes,
  ...vaeNodes,
  ...diffusionNodes,
  timeEmbedding,
  timeBias,
  resBlock,
  spatialAttention,
  ...transformerNodes,
  ...feedbackNodes,
];

const BY_TYPE = new Map(NODE_TYPES.map((d) => [d.type, d]));

export function getNodeDef(type: string): AnyNodeDefinition | undefined {
  return BY_TYPE.get(type);
}

export function nodeTypeNames(): string[] {
  return NODE_TYPES.map((d) => d.type);
}
