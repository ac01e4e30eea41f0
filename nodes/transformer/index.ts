// The transformer family: a text source and the layers of a character-level GPT.
import { multiHeadAttention } from './attention';
import { feedForward, lmHead, transformerBlock } from './block';
import { positionalEmbedding, tokenEmbedding } from './embedding';
import { textDataset } from './text-dataset';

export const transformerNodes = [
  textDataset,
  tokenEmbedding,
  positionalEmbedding,
  multiHeadAttention,
  feedForward,
  transformerBlock,
  lmHead,
];
