// Shared by the training worker and its page-side client.
import type { AttentionMap } from '../../nodes/transformer/text-sampler';
import type { SampleBatch } from '../train/events';
import type { SampleRequest } from '../train/sample';

/** Samples in each periodic batch: a 10×10 image grid, or enough points to show a distribution's shape. */
export const SAMPLE_COUNT = 100;

/** The longest sequence an attention view shows: beyond it one character per cell is unreadable. */
export const ATTENTION_MAX_LENGTH = 32;

/** The attention of every attention layer for one sequence, with a label per position. */
export interface AttentionView {
  /** One readable label per position (the end-of-text token reads as ⏎). */
  tokens: string[];
  /** Per layer, in execution order: weights [heads, length, length], query rows by key columns. */
  maps: AttentionMap[];
  /** Characters dropped from the front because the sequence was longer than the view shows. */
  cropped: number;
  /** The token ids read, one per label. */
  ids: number[];
  /** What the model predicts after each position: a label per token id, and softmax(logits) [length, vocab]. */
  next: { chars: string[]; probs: Float32Array };
}

/** A reverse diffusion run, frame by frame from pure noise to the sample. */
export interface DenoisingFrames {
  /** Reverse steps the sampler takes in all. */
  steps: number;
  frames: { /** Reverse steps done (0: the starting noise). */ done: number; batch: SampleBatch }[];
}

/** A language model's characters (the end-of-text token aside) and whether its corpus is made of lines. */
export interface TextVocabulary {
  chars: string[];
  /** Lines (names) start every sample after the end token; running text (a novel) needs a prompt. */
  lines: boolean;
}

/** The sample request the page may send: text streams come back as events, not a callback. */
export type RemoteSampleRequest = Omit<SampleRequest, 'onText'>;

/**
 * A GAN discriminator's view of the plane: its score on an n×n grid over [lo, hi]² (row 0 the top,
 * largest y; column 0 the left), and its gradient ∇ₓD at some points, where the generator's loss
 * pushes them.
 */
export interface DecisionSurface {
  n: number;
  lo: number;
  hi: number;
  /** n·n scores, row-major. */
  scores: Float32Array;
  /** [x0, y0, x1, y1, …]. */
  points: Float32Array;
  /** ∇ₓD at each point, [dx0, dy0, …]. */
  gradients: Float32Array;
}

type ImageBatch = Extract<SampleBatch, { kind: 'images' }>;

/** A VAE's latent space decoded: an n×n map over [-range, range]² (2-D latents only) and a strip from `from` to `to`. */
export interface LatentView {
  /** The latent's width. */
  dim: number;
  /** Row 0 is the top (largest z₂), column 0 the left (smallest z₁); null unless the latent is 2-D. */
  map: ImageBatch | null;
  n: number;
  range: number;
  /** Two points drawn from the prior N(0, I), and the images at evenly spaced points between them, ends included. */
  from: Float32Array;
  to: Float32Array;
  strip: ImageBatch;
}
