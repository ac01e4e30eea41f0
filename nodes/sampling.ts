// The sampling contract: how a family's node turns a trained graph into samples. A node definition
// that can sample a graph declares a `sampler` (the discriminator group: noise through the generator;
// reparameterize: the prior through the decoder; add-noise: the reverse diffusion process; the text
// dataset: token-by-token decoding). The runtime loops over definitions; it never names a family.
import * as tf from '@tensorflow/tfjs';
import type { PortValue, Shape } from './types';

/** One output port of one node (or a group's inner handle). */
export interface PortRef {
  node: string;
  port: string;
}

export type SampleBatch =
  /**
   * `count` images, row-major [count, height, width, channels], values in [-1, 1]; a conditional
   * model's also carry the class each one was asked for.
   */
  | { kind: 'images'; count: number; height: number; width: number; channels: number; data: Float32Array; classes?: number[] }
  /** `count` 2-D points [x0, y0, x1, y1, …] with a reference set of real points. */
  | { kind: 'points'; count: number; data: Float32Array; real: Float32Array }
  | { kind: 'text'; texts: string[] };

export type SampleKind = SampleBatch['kind'];

/**
 * What a sampler can offer beyond a batch of samples, so the app and the CLI show the right
 * controls without knowing the family: `frames` (a reverse process with intermediate states and a
 * step count), `latent` (a decoder fed from a prior, for latent maps), `prompt` (text continuation),
 * `critic` (a network that scores any point of the sample space, `refs.score` fed through `refs.target`:
 * a GAN's discriminator, drawn as a decision surface).
 */
export type SamplingFeature = 'frames' | 'latent' | 'prompt' | 'critic';

export interface SampleRequest {
  count: number;
  seed: number;
  /** Reverse-process samplers: override the schedule node's sampler and step count. */
  sampler?: 'ddpm' | 'ddim';
  steps?: number;
  /** Reverse-process samplers: keep every k-th intermediate state (0: none). */
  frameEvery?: number;
  /** Reverse-process samplers: keep about this many evenly spaced states (when frameEvery is 0). */
  frames?: number;
  /** Conditional models: the class of each sample (default: one row of the sample grid per class). */
  classes?: number[];
  /** Class-conditional diffusion: the classifier-free guidance scale (default: the schedule's). */
  guidance?: number;
  /** GANs: draw straight from the generator even when the discriminator group asks for rejection sampling or Langevin refinement. */
  plain?: boolean;
  /** Text. */
  prompt?: string;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  onText?: (index: number, text: string) => void;
}

export interface SampleResult {
  batch: SampleBatch;
  frames?: SampleBatch[];
}

/** How one graph is sampled, found by the sampling node's definition from the graph's wiring. */
export interface SamplingPlan {
  /** The node whose definition samples the graph. */
  node: string;
  output: SampleKind;
  /** The ports the sampler reads or forces, under names of its own choosing. */
  refs: Record<string, PortRef>;
  /** Shape of the generated tensor (batch first, null); absent for text. */
  shape?: Shape;
  features: SamplingFeature[];
  /** Numbers the sampler read off the graph (a language model's context length). */
  settings: Record<string, number>;
}

/** What a data node loaded, as far as samplers and outputs need it. */
export interface DataInfo {
  kind: 'images' | 'points' | 'text';
  /** 2-D data: held-out real points, drawn under generated samples. */
  realPoints?: Float32Array;
  /** Text: the tokenizer, and whether the corpus is a list of lines (names) or running text. */
  tokenizer?: TextTokenizer;
  lines?: boolean;
  /** The dataset's name (a built-in one or an upload's). */
  name: string;
}

/** What sampling needs of a tokenizer. */
export interface TextTokenizer {
  readonly endToken: number;
  readonly vocabSize: number;
  encode(text: string): ArrayLike<number>;
  decode(ids: ArrayLike<number>, end?: string): string;
}

export interface EvaluateOptions {
  batchSize: number;
  seed: number;
  /** Distinguishes evaluations that share a seed. */
  salt?: number;
  /** Values forced at ports: x_t and t of a reverse step, the tokens of a text window. */
  overrides?: [PortRef, PortValue][];
}

/** What a family's held-out figures are measured on. */
export interface FamilyMetricsOptions {
  count: number;
  seed: number;
  /** Importance samples per example, where the family estimates a likelihood by them (a VAE: 100). */
  samples?: number;
  /**
   * The first `count` test examples in stored order, the same every time (live figures, so that a
   * curve moves with the model, not the draw), where the data can be read in order.
   */
  fixed?: boolean;
}

/** The graph as a sampler sees it. Tensors returned are the caller's to dispose (or tidy). */
export interface SampleEnv {
  /** The tensor at `ref`, computing only what it needs (sample mode). */
  evaluate(ref: PortRef, opts: EvaluateOptions): tf.Tensor;
  /** A non-tensor value at `ref` (a noise schedule). */
  value<T>(ref: PortRef): T;
  /** What the data node `nodeId` loaded. */
  dataOf(nodeId: string): DataInfo | undefined;
  /** The real points of the graph's first 2-D dataset, drawn under generated points. */
  realPoints?: Float32Array;
  /** What a value arriving at input `at` of a loss means as data (its `toData`), or the value itself. */
  toData(at: PortRef, x: tf.Tensor): tf.Tensor;
  /** log p(target | pred) per example under loss node `loss`, or null when that loss is no likelihood. */
  logLikelihood(loss: string, pred: tf.Tensor, target: tf.Tensor, seed: number): tf.Tensor | null;
  /** How many test examples the data port `ref` reads from, when it can read them in order (else null). */
  heldOutCount(ref: PortRef): number | null;
  /** Test examples `start` to `start + n − 1` at the data port `ref`, in stored order (the caller disposes). */
  heldOut(ref: PortRef, start: number, n: number): tf.Tensor;
}

/** A read-only view of a checked graph, for finding a sampling plan from the wiring. */
export interface GraphQuery {
  /** The ids of a node's input ports. */
  inputPorts(node: string): string[];
  /** The port feeding `node`'s input `port`, if wired. */
  inputOf(node: string, port: string): PortRef | null;
  /** Whether `node` lies upstream of `of` (inclusive), walking wires backwards. */
  isUpstream(node: string, of: string): boolean;
  shapeOf(ref: PortRef): Shape | undefined;
  /** Loss nodes, in graph order. */
  losses(): string[];
  /** Nodes of one type, in graph order (a family finding its own pipeline nodes). */
  nodesOfType(type: string): string[];
  /** A node's params, checked; undefined for a node not in the graph. */
  paramsOf(node: string): Record<string, unknown> | undefined;
}

export interface SamplerDef {
  /** This node's plan for sampling the graph, or null when the wiring gives it nothing to sample. */
  plan(q: GraphQuery, nodeId: string, params: Record<string, unknown>): Omit<SamplingPlan, 'node' | 'settings'> & { settings?: Record<string, number> } | null;
  /** Draws `req.count` samples (outside any gradient). */
  sample(env: SampleEnv, plan: SamplingPlan, req: SampleRequest): Promise<SampleResult>;
  /**
   * Draws samples as a tensor, synchronously, so an objective can generate inside a training step
   * (on-policy objectives). Images and points come as they are; text as token ids.
   */
  draw?(env: SampleEnv, plan: SamplingPlan, count: number, seed: number): tf.Tensor;
  /** Held-out figures only this family can compute (a VAE's likelihood bounds), on `count` test examples. */
  metrics?(env: SampleEnv, plan: SamplingPlan, opts: FamilyMetricsOptions): Record<string, number>;
}

/** What a sample of this shape looks like to a person. */
export function kindOfShape(shape: Shape): SampleKind | null {
  if (shape.length === 4) return 'images';
  if (shape.length === 2 && shape[1] === 2) return 'points';
  return null;
}

/** A tensor of samples → the batch the UI and CLI draw. */
export function toBatch(x: tf.Tensor, realPoints?: Float32Array): SampleBatch {
  const data = x.dataSync() as Float32Array;
  if (x.rank === 4) {
    const [count, height, width, channels] = x.shape;
    return { kind: 'images', count, height, width, channels, data: Float32Array.from(data) };
  }
  return { kind: 'points', count: x.shape[0], data: Float32Array.from(data), real: realPoints ?? new Float32Array() };
}
