// The contract every node type fulfils. One definition object per type; the canvas, the inspector,
// the validator and the compiler read these generically, so adding a node touches one file and the
// registry. No React and no DOM here: this runs in the worker, in Node and on the main thread.
import type * as tf from '@tensorflow/tfjs';
import type { DataNeed, UploadSpec } from './data-needs';
import type { SamplerDef } from './sampling';

/** A tensor shape; the first entry is the batch dimension and is `null` while symbolic. */
export type Dim = number | null;
export type Shape = Dim[];

/** What flows along an edge. `tensor` carries a tf.Tensor; `schedule` carries a NoiseSchedule value. */
export type PortKind = 'tensor' | 'schedule';

export interface PortDef {
  id: string;
  label?: string;
  kind: PortKind;
  /** An optional input may stay unconnected. */
  optional?: boolean;
  /** Tensor element type when not float32 (token ids are int32). */
  dtype?: 'int32';
  doc?: string;
  /** The input expects one score per example (a discriminator's), which the design checks verify. */
  score?: boolean;
  /**
   * Networks upstream of this input play this role (the discriminator's `fake` input: whatever
   * feeds it is the 'generator'), so objectives can name whom they train.
   */
  role?: string;
}

export type Category = 'data' | 'layers' | 'generative' | 'losses';

/** How the compiler treats a node. */
export type NodeRole =
  /** Produces tensors from outside the networks: data, latent noise. */
  | 'source'
  /** Becomes tf.layers inside a network (tf.LayersModel). */
  | 'layer'
  /** A non-trainable pipeline step between networks: reparameterize, add noise, schedule. */
  | 'op'
  /** Yields one or more training objectives. */
  | 'loss'
  /** Holds inner layer nodes (by parentId) forming one network applied to several inputs. */
  | 'group';

export type ParamSpec =
  | { kind: 'int'; default: number; min?: number; max?: number; label?: string; doc?: string }
  | {
      kind: 'float';
      default: number;
      min?: number;
      max?: number;
      /** Bounds the value may not reach, e.g. a learning rate above 0 or a β below 1. */
      exclusiveMin?: number;
      exclusiveMax?: number;
      step?: number;
      label?: string;
      doc?: string;
    }
  | { kind: 'bool'; default: boolean; label?: string; doc?: string }
  | { kind: 'enum'; default: string; options: readonly string[]; label?: string; doc?: string }
  /** A list of positive integers, e.g. a target shape or kernel size. */
  | { kind: 'shape'; default: number[]; minLength?: number; maxLength?: number; label?: string; doc?: string }
  | { kind: 'string'; default: string; maxLength?: number; label?: string; doc?: string };

export type ParamSchema = Record<string, ParamSpec>;

type ValueOf<S extends ParamSpec> = S extends { kind: 'int' | 'float' }
  ? number
  : S extends { kind: 'bool' }
    ? boolean
    : S extends { kind: 'enum'; options: readonly (infer O)[] }
      ? O
      : S extends { kind: 'shape' }
        ? number[]
        : string;

export type ParamsOf<S extends ParamSchema> = { [K in keyof S]: ValueOf<S[K]> };

/** Thrown by inferShapes/build/run with a message that completes `<type> "<id>" …`. */
export class NodeError extends Error {
  constructor(
    message: string,
    /** The param at fault, if one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

/** Input shapes keyed by input port id; optional unconnected inputs are absent. */
export type ShapeMap = Record<string, Shape>;

export interface BuildContext {
  nodeId: string;
  /** A unique, stable tf layer name for this node (`suffix` for nodes that make several layers). */
  layerName(suffix?: string): string;
  /** Seed for weight initialisers, derived from the training seed and the node id. */
  seed: number;
  /** The node's weights are locked: layers with state of their own (batch norm) keep it fixed too. */
  frozen?: boolean;
}

/**
 * A layer node's build: symbolic inputs in, symbolic outputs out, made of real tf.layers (custom
 * layers follow the tfjs Layer contract and are registered with tf.serialization.registerClass).
 */
export type LayerApply = (inputs: Record<string, tf.SymbolicTensor>) => Record<string, tf.SymbolicTensor>;

/** A value travelling along a `schedule` edge. Plain data so it can be inspected and serialised. */
export interface NoiseSchedule {
  kind: string;
  T: number;
  betas: Float32Array;
  alphas: Float32Array;
  alphaBars: Float32Array;
  /** The reverse-process settings chosen on the schedule node. */
  sampler: 'ddpm' | 'ddim';
  sampleSteps: number;
  eta: number;
  /** DDPM's reverse variance: the posterior's β̃ or β itself (Ho et al. 2020 found both work). */
  variance: 'posterior' | 'beta';
  /** Classifier-free guidance scale: ε̂ = ε̂_uncond + s·(ε̂_cond − ε̂_uncond); 1 is plain conditional sampling. */
  guidance: number;
}

export type PortValue = tf.Tensor | NoiseSchedule;

export type RunMode = 'train' | 'eval' | 'sample';

/** What a source/op/loss node sees when it runs (eagerly, inside the trainer's tf.tidy). */
export interface RunContext<P = Record<string, unknown>> {
  nodeId: string;
  params: P;
  mode: RunMode;
  batchSize: number;
  /** The training step (0-based); constant during one step. */
  step: number;
  /** Pulls an input lazily: only what is asked for is computed. Throws if unconnected. */
  input(port: string): tf.Tensor;
  /** The value on a non-tensor input (e.g. a noise schedule). */
  value<T = unknown>(port: string): T;
  has(port: string): boolean;
  /** A fresh deterministic seed for a tf random op (differs per call, per step, per node). */
  seed(): number;
  /** The batch source for dataset nodes (the trainer provides it). */
  data: DataBatcher;
  /**
   * The group (discriminator) whose output feeds this node's `port`, to re-apply its shared inner
   * network to other inputs (the WGAN gradient penalty); null when no group feeds it.
   */
  groupBehind(port: string): GroupHandle | null;
  /**
   * The value on input `port` computed with every network that has a frozen reference copy
   * replaced by that copy (policy and reference in one step). Throws if no network upstream of
   * `port` has one: declare it with the objective's `references`.
   */
  reference(port: string): tf.Tensor;
  /** Fresh samples from the graph's own sampler, inside the step (on-policy objectives). */
  sample(count: number): tf.Tensor;
  /**
   * This node's context with the values feeding some of its inputs replaced (keyed by this node's
   * input ports), everything downstream of them computed afresh: one network applied to a second
   * batch, such as a language model scoring preference pairs instead of its corpus.
   */
  rerun(feed: Record<string, tf.Tensor>): RunContext<P>;
}

export interface GroupHandle {
  /** The group's checked params. */
  params: Record<string, unknown>;
  /** The tensor on one of the group's outer inputs (e.g. 'real', 'fake'). */
  input(port: string): tf.Tensor;
  /** The inner network applied to `x` (training mode follows the context). */
  apply(x: tf.Tensor): tf.Tensor;
}

/** Supplies batches of the dataset a dataset node names. Implemented in runtime/data. */
export interface DataBatcher {
  /** A batch of `n` examples for the dataset node `nodeId`, keyed by its output ports. */
  batch(nodeId: string, n: number, split: 'train' | 'test'): Record<string, tf.Tensor>;
  /**
   * The test split's examples `start` to `start + n − 1` of node `nodeId`, in their stored order, for
   * measuring on the whole split once; null where the data has no fixed list of examples (a running
   * text's windows). A corpus of lines taken one per example lists its lines.
   */
  heldOut?(nodeId: string, start: number, n: number): Record<string, tf.Tensor> | null;
  /** How many examples node `nodeId`'s test split holds, or null where `heldOut` does not apply. */
  heldOutCount?(nodeId: string): number | null;
}

export interface OptimizerSettings {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
}

/**
 * Whose variables an objective trains: every network that feeds the loss (`upstream`), or only the
 * networks feeding it that play `role` (a network's own role, or one an input port declares for
 * whatever feeds it).
 */
export type Trains = 'upstream' | { role: string };

/**
 * A training objective that a loss node contributes. Objectives of the same phase are summed;
 * the `critic` phase runs `repeat` times before each `main` step (adversarial training).
 */
export interface ObjectiveDef {
  /** Unique within the node, e.g. 'discriminator', 'generator', 'loss'. */
  id: string;
  phase: 'critic' | 'main';
  trains: Trains;
  /** What the value is, shown beside it: 'nats' for a likelihood, 'squared error' for an MSE. */
  unit?: string;
  /** Whether a held-out value means anything (not for adversarial objectives); default true. */
  heldOut?: boolean;
  /**
   * Roles whose networks get a frozen reference copy (same architecture, its own weights, never
   * updated), read through `RunContext.reference`.
   */
  references?: string[];
  repeat?: number;
  optimizer?: OptimizerSettings;
  /**
   * When the objective trains (default 'base'): learning from feedback trains a base model first,
   * then a reward model on preference pairs ('reward'), then fine-tunes the base against them
   * ('policy'). The trainer runs one stage at a time; an objective may belong to several (a GAN's
   * adversarial loss can go on while its generator is fine-tuned), the first being its own.
   */
  stage?: TrainingStage | TrainingStage[];
  /**
   * A 'calibrate' objective's length: the trainer runs that stage for this many steps right after
   * the run's steps, at a constant learning rate (a discriminator fitted to the finished generator).
   */
  steps?: number;
  /** The scalar to minimise, built from the loss node's inputs. */
  loss(ctx: RunContext): tf.Scalar;
  /**
   * How many terms `loss` averages over, where that is not the batch's examples (the real targets of
   * padded lines): batches measured apart then join into one exact mean.
   */
  terms?(ctx: RunContext): tf.Scalar;
}

export const TRAINING_STAGES = ['base', 'calibrate', 'reward', 'policy'] as const;
export type TrainingStage = (typeof TRAINING_STAGES)[number];

/** What a loss on preference pairs makes of each `chosen` sample, to compare with the rater. */
export interface PreferenceScores {
  /** [batch] the score of each chosen sample: a reward model's reward, DPO's implicit reward. */
  score: tf.Tensor;
  /** [batch] log π(x) − log π_ref(x) of each chosen sample, where the model has exact likelihoods. */
  logRatio?: tf.Tensor;
}

/** A group node's shared inner network, applied once per route. */
export interface GroupSpec {
  /** The group's own source handle that inner nodes read from. */
  innerInput: string;
  /** The group's own target handle that the inner network's last node writes to. */
  innerOutput: string;
  /** Each outer input is run through the inner network and comes out at its outer output. */
  routes: { from: string; to: string }[];
  /**
   * Turns a route's input into the inner network's input (a conditional GAN's label joined, PacGAN
   * packing); `input` reads another outer input, null when unconnected. Identity when absent.
   */
  prepare?(x: tf.Tensor, params: Record<string, unknown>, input: (port: string) => tf.Tensor | null): tf.Tensor;
}

export interface NodeDefinition<S extends ParamSchema = ParamSchema> {
  type: string;
  label: string;
  category: Category;
  role: NodeRole;
  /** One line, shown in the palette and inspector. */
  doc: string;
  inputs: PortDef[];
  outputs: PortDef[];
  params: S;
  /** The params worth showing on the node itself (the rest are in the inspector). */
  keyParams?: (keyof S & string)[];
  /** Cross-field checks beyond each param's own bounds; return messages naming the field. */
  validateParams?(params: ParamsOf<S>): { field: string; message: string }[];
  /**
   * Output shapes from input shapes. Throw NodeError('expects input [batch, h, w, c], got [batch, 784]')
   * when the inputs do not fit; the compiler prefixes the node's type and id.
   */
  inferShapes(inputs: ShapeMap, params: ParamsOf<S>): ShapeMap;
  /** Trainable parameter count for the given input shapes (shown on the canvas without tfjs). */
  countParams?(inputs: ShapeMap, params: ParamsOf<S>): number;
  /**
   * Floating-point operations of one forward pass, per example, where the rule in
   * runtime/compiler/cost.ts (each weight used once per output position, plus one operation per output
   * value) is wrong: weights used at fewer positions (a transposed convolution, an embedding lookup),
   * or work no weight shows (attention scores).
   */
  flops?(inputs: ShapeMap, params: ParamsOf<S>): number;
  /**
   * Values per example a training step holds inside the node beyond its output ports (attention
   * scores, a hidden layer of its own), for the memory estimate before compiling.
   */
  workValues?(inputs: ShapeMap, params: ParamsOf<S>): number;
  /** role 'layer': build tf.layers. */
  build?(params: ParamsOf<S>, inputs: ShapeMap, ctx: BuildContext): LayerApply;
  /** roles 'source' and 'op': compute outputs eagerly. */
  run?(ctx: RunContext<ParamsOf<S>>): Record<string, PortValue>;
  /** role 'loss': the objectives this node contributes. */
  objectives?(params: ParamsOf<S>): ObjectiveDef[];
  /** role 'group'. */
  group?: GroupSpec;
  /**
   * When sampling, replace this node's outputs with N(0, I) noise of the same shape (the VAE's
   * reparameterize: sampling feeds the decoder from the prior).
   */
  sampleFromPrior?: boolean;
  /** How a graph holding this node is sampled (see nodes/sampling.ts). */
  sampler?: SamplerDef;
  /**
   * role 'loss' on a decoder's output: what that output means as data (BCE logits → images), applied
   * when the graph is sampled.
   */
  toData?(params: ParamsOf<S>, x: tf.Tensor): tf.Tensor;
  /**
   * role 'loss': log p(target | pred) per example, when the loss is a decoder distribution's negative
   * log-likelihood (null otherwise); `seed` fixes any randomness in how the target is read.
   */
  logLikelihood?(params: ParamsOf<S>, pred: tf.Tensor, target: tf.Tensor, seed: number): tf.Tensor | null;
  /**
   * role 'loss' on preference pairs: how it scores the pairs' chosen samples, so the runtime can
   * measure how often the model agrees with a rater on held-out pairs.
   */
  preferenceScores?(ctx: RunContext<ParamsOf<S>>): PreferenceScores;
  /** role 'source': the data this node reads, so the runtime can load it before training. */
  data?(params: ParamsOf<S>): DataNeed;
  /** role 'source': where the user may bring their own data. */
  upload?: UploadSpec;
  /**
   * Names for the networks around this node, so the compiler can call them by their role: e.g.
   * reparameterize is fed by the 'encoder' and feeds the 'decoder'. Unnamed networks are 'model'.
   */
  networkRole?: { upstream?: string; downstream?: string };
  /** Other nodes this one cannot work without; a missing one is a 'missing-part' diagnostic. */
  requires?: { type: string; where: 'downstream' | 'graph'; message: string; fix?: RequirementFix }[];
  /** Outputs that must feed something with these params (a setting that only acts through its wire). */
  wiredOutputs?(params: ParamsOf<S>): { port: string; message: string }[];
  /** What the design checks need to know of this node. */
  design?: DesignHints<ParamsOf<S>>;
}

/**
 * What the design checks (runtime/compiler/design-checks.ts) need to know of a node to tell a user
 * why a graph that compiles will not learn, and how to fix it in one click.
 */
export interface DesignHints<P> {
  /** A layer with weights: an affine map unless something bends its output. */
  weighted?: boolean;
  /** Whether the node bends its input (a nonlinearity) with these params; an affine map chained through non-bending nodes stays affine. */
  bends?(params: P): boolean;
  /** The param that sets the output's activation (offered as the fix for a missing nonlinearity or range). */
  activationParam?: string;
  /** The param that sets the output's width (offered as the fix for a score wider than 1). */
  widthParam?: string;
  /** A data node's examples: images in [−1, 1] or 2-D points, with the set's name for messages. */
  examples?(params: P): { kind: 'images' | 'points'; label: string } | undefined;
  /** Params that hold learning rates this node's objectives use instead of the training settings'. */
  learningRateParams?: string[];
  /** Params the node feeding an input must hold for this node's maths to be right (e.g. ε-prediction). */
  upstreamParams?: { port: string; param: string; value: string; why: string }[];
}

/** A requirement the design checks can fix: add a node of the required type, wired like this one. */
export interface RequirementFix {
  /** The design check's name, stable for tests and the UI. */
  check: string;
  /** What goes wrong in training without it. */
  why: string;
  /** The new node's id prefix, and which of this node's inputs feed which of the new node's. */
  idBase: string;
  inputs: { from: string; to: string }[];
}

/** Identity helper that keeps a definition's param types precise. */
export function defineNode<S extends ParamSchema>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}

/** Any definition, for registries and generic code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any>;
