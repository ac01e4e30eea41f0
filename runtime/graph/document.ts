// The graph document: the plain, versioned JSON that users export and the canvas edits.
// Nothing in it is a function or a class instance, so it survives JSON, postMessage and the URL hash.

export const GRAPH_FORMAT = 'genloom.graph';
export const GRAPH_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [1];

export interface XY {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  type: string;
  position: XY;
  /** Only values the node definition declares; defaults fill the rest. */
  params: Record<string, unknown>;
  /** Inner nodes of a group (the discriminator) name their group here, as React Flow does. */
  parentId?: string;
  /** A user's own title for the node. */
  label?: string;
  /** Groups only: drawn as one box. */
  collapsed?: boolean;
  /** Groups only: the box size on the canvas. */
  width?: number;
  height?: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface TrainingConfig {
  batchSize: number;
  steps: number;
  seed: number;
  /** Adam settings for objectives whose loss node sets none of its own. */
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Produce a sample batch every this many steps (0: never during training). */
  sampleEvery: number;
  /** Evaluate held-out loss every this many steps (0: never). */
  evalEvery: number;
  // Optional so that documents built in code need not spell out settings they leave off; loading fills them.
  /** How the learning rate changes over `steps`, after `warmupSteps` of linear warm-up from 0. */
  lrSchedule?: LrSchedule;
  warmupSteps?: number;
  /** AdamW's decoupled weight decay λ on weight matrices and filters (0: plain Adam). */
  weightDecay?: number;
  /** Rescales a phase's gradients when their global L2 norm exceeds this (0: never). */
  clipNorm?: number;
  /** Decay of the moving average of the sampled network's weights, used for sampling (0: off). */
  ema?: number;
}

export const LR_SCHEDULES = ['constant', 'linear', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface GraphDocument {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_VERSION;
  name: string;
  description?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  training: TrainingConfig;
  viewport?: Viewport;
}

export const DEFAULT_TRAINING: TrainingConfig = {
  batchSize: 64,
  steps: 1000,
  seed: 1,
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  sampleEvery: 100,
  evalEvery: 100,
};
