// How a node is written in PyTorch: the contract every node type's exporter fulfils. Each family
// keeps its exporter beside its definition (`dense.torch.ts` beside `dense.ts`); nodes/torch-exporters.ts
// lists them by type, and runtime/export/pytorch assembles model.py and train.py from what they return.
//
// Layout: Genloom's images are channels-last ([batch, h, w, c]); the exported model keeps PyTorch's
// channels-first ([batch, c, h, w]) for every rank-4 tensor, so an exporter whose node sees images
// writes its code for (B, C, H, W) and converts only where the order of values matters (flatten,
// reshape, concat axes). Weights convert between the two in genloom_weights.py (see WeightLayout).
import type { PortRef, SamplingPlan } from './sampling';
import type { Shape, ShapeMap } from './types';

/** How a tfjs weight array becomes a PyTorch tensor. */
export type WeightLayout =
  /** The same array. */
  | 'same'
  /** A dense kernel [in, out] ↔ nn.Linear's weight [out, in]. */
  | 'linear'
  /** Conv filters [h, w, in, out] ↔ [out, in, h, w]; transposed: [h, w, out, in] ↔ [in, out, h, w]. Both permute (3, 2, 0, 1). */
  | 'conv';

export interface TorchWeight {
  /** The state_dict key inside the network's module, e.g. `g1.weight`. */
  torch: string;
  /** The tfjs weight's name, e.g. `g1/kernel`. */
  tfjs: string;
  layout: WeightLayout;
}

export interface TorchLayerContext<P = Record<string, unknown>> {
  id: string;
  /** The python attribute this node's modules live under (`self.<attr>`), a safe identifier. */
  attr: string;
  params: P;
  /** Input shapes by port, as Genloom infers them (channels last). */
  inputs: ShapeMap;
  outputs: ShapeMap;
  /** The name tfjs gives this node's layer (with a suffix for a node made of several layers). */
  tfjsName(suffix?: string): string;
}

export interface TorchLayer {
  /** Statements for the network's `__init__`, e.g. `self.g1 = nn.Linear(64, 1568)`. */
  init: string[];
  /** A python expression for each output port, from each input port's expression. */
  forward(inputs: Record<string, string>): Record<string, string>;
  weights: TorchWeight[];
  /** Python definitions (a class, a function) model.py needs, by name so each is written once. */
  helpers?: Record<string, string>;
}

/** The group (discriminator) behind a loss input, to apply its network again (gradient penalties). */
export interface TorchGroupRef {
  /** The group's checked params. */
  params: Record<string, unknown>;
  /** The expression of the group's outer input `port` (e.g. the real data). */
  input(port: string): string;
  /** The group's network applied to the expression `x`. */
  apply(x: string): string;
}

export interface TorchStepContext<P = Record<string, unknown>> {
  id: string;
  params: P;
  inputs: ShapeMap;
  outputs: ShapeMap;
  /** The python expression holding input `port`'s value. */
  input(port: string): string;
  has(port: string): boolean;
  /** The node feeding input `port` (its type and params, defaults filled), or null when unconnected. */
  source(port: string): { type: string; params: Record<string, unknown> } | null;
  /** The variable an output port is written to. */
  out(port: string): string;
  /** The expression of the training step number (0-based). */
  step: string;
  /** The expression of the batch size of this evaluation. */
  batch: string;
  groupBehind(port: string): TorchGroupRef | null;
  /**
   * Input `port` as the frozen reference copies compute it (an objective that `references` a role):
   * the same batch and noise through the copies, without a gradient. Its statements go before the
   * caller's own.
   */
  reference(port: string): string;
  /**
   * The graph evaluated again with the values feeding some of this node's inputs replaced by python
   * expressions (DPO feeds the pairs through the language model). Its statements are returned, for
   * the caller to place after whatever defines those expressions; `name` ends its variables' names.
   */
  rerun(feed: Record<string, string>, name: string): TorchRerun;
}

/** A second evaluation of the graph with some inputs replaced (see TorchStepContext.rerun). */
export interface TorchRerun {
  lines: string[];
  input(port: string): string;
  reference(port: string): string;
}

export interface TorchCode {
  /** Statements, in order. */
  lines: string[];
  /** Python definitions train.py needs (a schedule, a helper), by name so each is written once. */
  helpers?: Record<string, string>;
}

/** A loss's objective: statements, then the expression of the scalar to minimise. */
export interface TorchLoss extends TorchCode {
  value: string;
  /**
   * How many terms `value` averages over, where that is not the batch's examples (a line's real
   * targets, not its padding), so held-out chunks are weighted as Genloom's `ObjectiveDef.terms`.
   */
  terms?: string;
}

/** What a group does to each route's input before its network (a conditional GAN's label, packing). */
export interface TorchGroup {
  prepare(x: string, ctx: TorchStepContext): string;
  helpers?: Record<string, string>;
}

/** What a sampler exporter writes with: the graph evaluated in sampling mode. */
export interface TorchSamplerContext<P = Record<string, unknown>> {
  id: string;
  params: P;
  plan: SamplingPlan;
  /** Statements computing `ref` for `count` samples (python expression), with some values given. */
  evaluate(ref: PortRef, given?: [PortRef, string][]): TorchLoss;
  /** A decoder output as data (a Bernoulli decoder's logits as images), per the loss it feeds. */
  toData(at: PortRef, x: string): string;
  /** Another node's params (defaults filled), e.g. the noise schedule's sampler settings. */
  paramsOf(nodeId: string): Record<string, unknown>;
  /** What feeds input `port` of `node`. */
  inputOf(node: string, port: string): PortRef | null;
}

/**
 * One node type's exporter. A layer node gives `layer`; sources and ops give `run` (a dataset node's
 * batch comes from data.py); losses give `loss` per objective id; groups give `group`. Any of them
 * throws NodeError for a variant it cannot write (an uploaded dataset, spectral norm), which stops
 * the export with a diagnostic naming the node.
 */
export interface TorchExporter<P = Record<string, unknown>> {
  type: string;
  layer?(ctx: TorchLayerContext<P>): TorchLayer;
  run?(ctx: TorchStepContext<P>): TorchCode;
  /** Sampling mode's run where it differs from training's (reparameterize draws from the prior). */
  sample?(ctx: TorchStepContext<P>): TorchCode;
  loss?(objective: string, ctx: TorchStepContext<P>): TorchLoss;
  group?(ctx: TorchStepContext<P>): TorchGroup;
  /**
   * A sampler's body (for the node whose definition declares the sampler): statements that use
   * `count` and `run`, then the expression of the samples: images (B, C, H, W) in [-1, 1], points
   * (B, 2), or a list of strings.
   */
  sampler?(ctx: TorchSamplerContext<P>): TorchLoss & { helpers?: Record<string, string> };
  /** A loss on a decoder's output: that output as data (`x` a python expression). */
  toData?(params: P, x: string): string;
}

/** Identity helper that keeps an exporter's param types precise. */
export function torchExporter<P>(e: TorchExporter<P>): TorchExporter<P> {
  return e;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTorchExporter = TorchExporter<any>;

/** Shapes in PyTorch's order for the comments beside each line: `(B, 16, 14, 14)`. */
export function torchShape(shape: Shape): string {
  const dims = shape.length === 4 ? [shape[0], shape[3], shape[1], shape[2]] : shape;
  return `(${dims.map((d, i) => (d === null ? (i === 0 ? 'B' : '?') : String(d))).join(', ')})`;
}

/** A number as python source: integers stay integers, floats keep full precision. */
export function py(x: number | boolean | string): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'string') return JSON.stringify(x);
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a python number`);
  return String(x);
}

/** A float as python source (1 → 1.0), for arguments PyTorch expects as floats. */
export function pyFloat(x: number): string {
  const s = py(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * The PyTorch dim of Genloom axis `axis` (negative counts from the end) of a rank-`rank` tensor:
 * channels move from last to 1 in images.
 */
export function torchAxis(axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  if (rank !== 4) return a;
  return [0, 2, 3, 1][a];
}
