// The graph document: the plain, versioned JSON that users export and the canvas edits.
// Nothing in it is a function or a class instance, so it survives JSON, postMessage and the URL hash.
import { defaultValues } from '../../nodes/params';
import type { ParamsOf } from '../../nodes/types';
import { TRAINING_SETTINGS, type TrainingSettingsSchema } from './training-settings';

export const GRAPH_FORMAT = 'genloom.graph';
export const GRAPH_VERSION = 1;

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
  /**
   * Layer nodes and groups: the weights are locked (fine-tuning keeps them as loaded). A locked group
   * locks every node inside it. Written only when true.
   */
  frozen?: boolean;
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

/** Batch size, steps, seed, optimizer settings…: one field per entry of TRAINING_SETTINGS. */
export type TrainingConfig = ParamsOf<TrainingSettingsSchema>;

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

export const DEFAULT_TRAINING: TrainingConfig = defaultValues(TRAINING_SETTINGS) as TrainingConfig;

/** How messages name a node: its type and id, e.g. `dense "g1"`. */
export function describeNode(node: Pick<GraphNode, 'id' | 'type'>): string {
  return `${node.type} "${node.id}"`;
}
