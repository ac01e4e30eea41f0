// Every node type's PyTorch exporter, by type. tests/export/exporters.test.ts checks that each type
// in nodes/registry.ts has one, so a node added without one is noticed at once.
import { datasetTorch, noiseTorch } from './data.torch';
import { denseTorch } from './layers/dense.torch';
import { conv2dTorch, conv2dTransposeTorch } from './layers/conv.torch';
import { poolingTorch, upsampleTorch } from './layers/resample.torch';
import { batchNormTorch, layerNormTorch } from './layers/normalization.torch';
import { activationTorch, dropoutTorch } from './layers/pointwise.torch';
import { flattenTorch, reshapeTorch } from './layers/reshape.torch';
import { addTorch, concatTorch } from './layers/merge.torch';
import { minibatchStddevTorch } from './layers/minibatch-stddev.torch';
import { discriminatorTorch } from './generative.torch';
import { adversarialTorch, crossEntropyTorch } from './losses.torch';
import { reconstructionTorch } from './reconstruction.torch';
import { klDivergenceTorch, reparameterizeTorch } from './vae.torch';
import { addNoiseTorch, noisePredictionTorch, noiseScheduleTorch } from './diffusion/nodes.torch';
import { timeEmbeddingTorch } from './layers/time-embedding.torch';
import { timeBiasTorch } from './layers/unet-time-bias.torch';
import { groupNormTorch } from './layers/group-norm.torch';
import { labelDropoutTorch, resBlockTorch, spatialAttentionTorch } from './diffusion/blocks.torch';
import { textDatasetTorch } from './transformer/text-dataset.torch';
import { bradleyTerryTorch, dpoTorch, preferencesTorch, rewardModelTorch, rewardTuneTorch } from './feedback/feedback.torch';
import { reinforceTorch } from './feedback/reinforce.torch';
import { diffusionDpoTorch } from './feedback/diffusion-dpo.torch';
import {
  feedForwardTorch,
  lmHeadTorch,
  multiHeadAttentionTorch,
  positionalEmbeddingTorch,
  tokenEmbeddingTorch,
  transformerBlockTorch,
} from './transformer/transformer.torch';
import type { AnyTorchExporter } from './torch-exporter';

const EXPORTERS: readonly AnyTorchExporter[] = [
  datasetTorch,
  noiseTorch,
  denseTorch,
  conv2dTorch,
  conv2dTransposeTorch,
  upsampleTorch,
  poolingTorch,
  batchNormTorch,
  layerNormTorch,
  activationTorch,
  dropoutTorch,
  reshapeTorch,
  flattenTorch,
  concatTorch,
  addTorch,
  minibatchStddevTorch,
  discriminatorTorch,
  adversarialTorch,
  reconstructionTorch,
  crossEntropyTorch,
  reparameterizeTorch,
  klDivergenceTorch,
  noiseScheduleTorch,
  addNoiseTorch,
  noisePredictionTorch,
  timeEmbeddingTorch,
  timeBiasTorch,
  groupNormTorch,
  resBlockTorch,
  spatialAttentionTorch,
  labelDropoutTorch,
  textDatasetTorch,
  tokenEmbeddingTorch,
  positionalEmbeddingTorch,
  multiHeadAttentionTorch,
  feedForwardTorch,
  transformerBlockTorch,
  lmHeadTorch,
  preferencesTorch,
  rewardModelTorch,
  bradleyTerryTorch,
  dpoTorch,
  rewardTuneTorch,
  reinforceTorch,
  diffusionDpoTorch,
];

const BY_TYPE = new Map(EXPORTERS.map((e) => [e.type, e]));

export function torchExporterFor(type: string): AnyTorchExporter | undefined {
  return BY_TYPE.get(type);
}

export function torchExporterTypes(): string[] {
  return EXPORTERS.map((e) => e.type);
}
