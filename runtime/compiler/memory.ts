// Memory budget: from the inferred shapes, the bytes a training step needs — weights, their
// gradients and optimizer slots, and the activations of one batch — estimated before any weight
// is allocated, so that a graph too large for the machine is refused in a moment instead of
// running for minutes and failing with "memory access out of bounds".
import type { Shape, ShapeMap } from '../../nodes/types';
import type { Analysis } from './analysis';
import { error, type Diagnostic } from '../graph/diagnostics';
import type { Checked } from './structure';

const FLOAT_BYTES = 4;
/** Per weight: the weight, its gradient and Adam's two moments. */
const PER_WEIGHT = 4;
/**
 * Per activation value: the output kept for the backward pass, the gradient flowing back through
 * it, and one intermediate (a pre-activation, a normalised value). Attention scores, which no
 * port shows, are the main thing this misses.
 */
const PER_ACTIVATION = 3;

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/**
 * Defaults: WebAssembly memory stops at 4 GiB, and a step needs headroom beyond the estimate
 * (datasets, tfjs's pools), so Node allows half of it; a browser tab shares the machine with the
 * page and other tabs, so it allows a quarter.
 */
export const DEFAULT_BUDGET = { node: 2 * GiB, browser: 1 * GiB } as const;

export interface NodeMemory {
  nodeId: string;
  weights: number;
  activations: number;
}

export interface MemoryEstimate {
  /** Bytes of weights, gradients and optimizer slots. */
  weights: number;
  /** Bytes of activations (and their gradients) for one training step at `batchSize`. */
  activations: number;
  total: number;
  batchSize: number;
  /** Every node with a cost, the largest first. */
  nodes: NodeMemory[];
}

function values(shape: Shape, batch: number): number {
  let n = 1;
  for (const d of shape) n *= d === null ? batch : d;
  return n;
}

function inputShapes(checked: Checked, analysis: Analysis, id: string): ShapeMap {
  const m: ShapeMap = {};
  for (const [port, e] of checked.incoming.get(id) ?? []) {
    const s = analysis.shapes[e.source]?.[e.sourceHandle];
    if (s) m[port] = s;
  }
  return m;
}

/** Estimates the training memory of an analysed graph; `batchSize` fills the batch dimension. */
export function estimateMemory(analysis: Analysis, checked: Checked, batchSize: number): MemoryEstimate {
  const nodes: NodeMemory[] = [];
  for (const [id, { node, def }] of checked.nodes) {
    if (def.role === 'group') continue;
    // A group's inner network runs on real and on generated data: its activations count twice.
    const uses = node.parentId && checked.nodes.get(node.parentId)?.def.role === 'group' ? 2 : 1;
    let act = 0;
    for (const shape of Object.values(analysis.shapes[id] ?? {})) act += values(shape, batchSize);
    if (def.workValues && analysis.shapes[id]) act += batchSize * def.workValues(inputShapes(checked, analysis, id), checked.nodes.get(id)!.params as never);
    const weights = (analysis.paramCounts[id] ?? 0) * PER_WEIGHT * FLOAT_BYTES;
    const activations = act * uses * PER_ACTIVATION * FLOAT_BYTES;
    if (weights > 0 || activations > 0) nodes.push({ nodeId: id, weights, activations });
  }
  nodes.sort((a, b) => b.weights + b.activations - (a.weights + a.activations));
  const weights = nodes.reduce((s, n) => s + n.weights, 0);
  const activations = nodes.reduce((s, n) => s + n.activations, 0);
  return { weights, activations, total: weights + activations, batchSize, nodes };
}

export function formatBytes(b: number): string {
  if (b >= GiB) return `${(b / GiB).toFixed(b >= 100 * GiB ? 0 : 1)} GiB`;
  if (b >= MiB) return `${(b / MiB).toFixed(b >= 100 * MiB ? 0 : 1)} MiB`;
  return `${Math.ceil(b / 1024)} KiB`;
}

/** An error naming the estimate, the budget and the largest nodes, or none within the budget. */
export function checkBudget(est: MemoryEstimate, budget: number): Diagnostic[] {
  if (!(est.total > budget)) return [];
  const top = est.nodes.slice(0, 3).map((n) => `"${n.nodeId}" ${formatBytes(n.weights + n.activations)}`).join(', ');
  const largest = est.nodes[0];
  const hint = largest && largest.weights > largest.activations ? 'fewer units or filters in the largest layers' : 'a smaller batch size';
  return [
    error(
      'memory-budget',
      `training needs about ${formatBytes(est.total)} (weights, gradients and optimizer state ${formatBytes(est.weights)}; ` +
        `activations at batch ${est.batchSize} ${formatBytes(est.activations)}), over the memory budget of ${formatBytes(budget)}. ` +
        `Largest: ${top}. Try ${hint}, or raise the budget.`,
      { nodeId: largest?.nodeId },
    ),
  ];
}

/**
 * Bytes to draw `count` samples: the weights once and one forward pass at batch `count`, whose
 * activations are not kept for a backward pass.
 */
export function estimateSampling(est: MemoryEstimate, count: number): number {
  return est.weights / PER_WEIGHT + (est.activations / PER_ACTIVATION) * (count / Math.max(1, est.batchSize));
}
