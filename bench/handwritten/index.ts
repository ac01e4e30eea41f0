// Which bench graphs have a hand-written equivalent, by graph file name.
import { classifierMnist } from './classifier-mnist';
import type { HandBuilder } from './common';
import { dcganLarge } from './dcgan-large';
import { dcganMnist } from './dcgan-mnist';
import { ddpm2d } from './ddpm-2d';
import { ddpmMnist } from './ddpm-mnist';
import { ganRing } from './gan-ring';
import { gpt } from './gpt';
import { vaeMnist } from './vae-mnist';
import { wganGrid } from './wgan-grid';

export const HANDWRITTEN: Record<string, HandBuilder> = {
  'classifier-mnist': classifierMnist,
  'gan-ring': ganRing,
  'wgan-grid': wganGrid,
  'dcgan-mnist': dcganMnist,
  'dcgan-large': dcganLarge,
  'vae-mnist-2d': vaeMnist(2),
  'vae-mnist-16d': vaeMnist(16),
  'ddpm-2d': ddpm2d,
  'ddpm-mnist': ddpmMnist,
  'gpt-names': gpt({ corpus: 'names', T: 16, dim: 64, heads: 4, blocks: 2, lr: 0.003 }),
  'gpt-moby-dick': gpt({ corpus: 'moby-dick', T: 64, dim: 64, heads: 4, blocks: 2, lr: 0.003 }),
};
