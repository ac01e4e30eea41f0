// What a training step costs, from the inferred shapes alone: floating-point operations per node and
// for the graph, before anything is compiled. A rough guide, not a profile:
// - a forward pass uses each weight once per output position (a dense layer on [batch, T, d] at T
//   positions, a convolution at every output pixel), plus one operation per output value (bias,
//   activation, a copy); node definitions override this where it is wrong (`flops`);
// - a training step costs about three forward passes (the backward pass computes gradients for both
//   the inputs and the weights);
// - a discriminator group's inner network runs once per route (real and generated data).
// Per-kernel overhead, which dominates small models on WebAssembly, is not counted: measured
// throughput (FLOP/s) is lower for small models than for large ones.
import type { NodeDefinition, Shape, ShapeMap } from '../../nodes/types';
import type { GraphDocument } from '../graph/document';
import type { Analysis } from './analysis';

/** Forward and backward: about three forward passes a step. */
export const TRAIN_PASSES = 3;

export interface NodeCost {
  /** Forward-pass FLOPs per example. */
  forward: number;
  /** How many times a step runs the node forward (twice inside a discriminator). */
  uses: number;
  /** FLOPs this node adds to one training step at the graph's batch size. */
  step: number;
}

export interface GraphCost {
  nodes: Record<string, NodeCost>;
  /** FLOPs of one training step. */
  step: number;
  params: number;
  batchSize: number;
}

const perExample = (s: Shape) => s.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);

function inputShapes(doc: GraphDocument, analysis: Analysis, id: string): ShapeMap {
  const m: ShapeMap = {};
  for (const e of doc.edges) {
    if (e.target !== id) continue;
    const s = analysis.shapes[e.source]?.[e.sourceHandle];
    if (s) m[e.targetHandle] = s;
  }
  return m;
}

/** Forward FLOPs per example of one node whose shapes are known. */
export function forwardFlops(def: NodeDefinition, inputs: ShapeMap, outputs: ShapeMap, params: Record<string, unknown>, paramCount: number): number {
  if (def.flops) return def.flops(inputs, params as never);
  const outs = def.outputs.map((p) => outputs[p.id]).filter((s): s is Shape => s !== undefined);
  const values = outs.reduce((n, s) => n + perExample(s), 0);
  const main = outs[0];
  const last = main?.[main.length - 1];
  const positions = main && main.length > 1 && last ? perExample(main) / last : 1;
  return 2 * paramCount * positions + values;
}

/** The cost of one training step of `doc`, node by node; nodes whose shapes are unknown are left out. */
export function graphCost(doc: GraphDocument, analysis: Analysis, defOf: (type: string) => NodeDefinition | undefined): GraphCost {
  const batchSize = doc.training.batchSize;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const nodes: Record<string, NodeCost> = {};
  let step = 0;
  let params = 0;
  for (const n of doc.nodes) {
    const def = defOf(n.type);
    const outputs = analysis.shapes[n.id];
    const p = analysis.params[n.id];
    if (!def || !outputs || !p || def.role === 'group') continue;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    const uses = parent ? Math.max(1, defOf(parent.type)?.group?.routes.length ?? 1) : 1;
    const count = analysis.paramCounts[n.id] ?? 0;
    const forward = forwardFlops(def, inputShapes(doc, analysis, n.id), outputs, p, count);
    const cost = { forward, uses, step: TRAIN_PASSES * forward * batchSize * uses };
    nodes[n.id] = cost;
    step += cost.step;
    params += count;
  }
  // A group's cost is its inner nodes'.
  for (const n of doc.nodes) {
    if (n.parentId && nodes[n.id] && byId.has(n.parentId)) {
      const g = (nodes[n.parentId] ??= { forward: 0, uses: 1, step: 0 });
      g.forward += nodes[n.id].forward * nodes[n.id].uses;
      g.step += nodes[n.id].step;
    }
  }
  return { nodes, step, params, batchSize };
}

export function formatFlops(f: number): string {
  if (!(f > 0)) return '0 FLOP';
  const units: [number, string][] = [[1e12, 'TFLOP'], [1e9, 'GFLOP'], [1e6, 'MFLOP'], [1e3, 'kFLOP']];
  for (const [scale, unit] of units) if (f >= scale) return `${(f / scale).toPrecision(f / scale >= 100 ? 3 : 2)} ${unit}`;
  return `${Math.round(f)} FLOP`;
}
