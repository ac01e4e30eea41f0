// The hash a checkpoint names its graph by. No tfjs here, so the page can tell which stored
// checkpoints fit the graph on the canvas without asking the worker.
import type { GraphDocument } from '../graph/document';

/** JSON with every object's keys sorted, so equal values always give equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Params that change how a trained model is sampled, not the model or its training: a checkpoint
 * still fits a graph where only these differ, so rejection sampling can be tried on a trained GAN,
 * and its discriminator calibrated for it (calibration runs after the run's steps and changes
 * nothing before them), or its noise truncated for sampling. Listed here rather than on the node
 * definitions because this file, like the page that reads it, must not load the node registry (and
 * with it tfjs).
 */
const SAMPLING_ONLY: Record<string, readonly string[]> = {
  discriminator: ['rejection', 'rejectPercentile'],
  adversarial: ['calibrationSteps', 'calibrationLr'],
  noise: ['truncation'],
};

function modelParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
  const skip = SAMPLING_ONLY[type];
  return skip ? Object.fromEntries(Object.entries(params).filter(([k]) => !skip.includes(k))) : params;
}

/**
 * A stable hash of what a model is: its nodes, wires and training settings, not positions, names or
 * the order things happen to be listed in (a saved and reloaded graph may list them differently).
 */
export function graphHash(doc: GraphDocument): string {
  const text = canonical({
    // A lock changes what the optimizers hold; it is listed only when set, so unlocked graphs keep their hash.
    nodes: [...doc.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map((n) => [n.id, n.type, modelParams(n.type, n.params), n.parentId ?? null, ...(n.frozen ? ['frozen'] : [])]),
    edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle].join('\u0000')).sort(),
    training: doc.training,
  });
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
