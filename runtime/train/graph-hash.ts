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

type ParamLists = Record<string, readonly string[]>;

/**
 * Params that change only how a trained model is sampled: rejection sampling, truncated noise, a
 * diffusion model's reverse sampler and guidance scale. A checkpoint still fits a graph where only
 * these differ, and the app keeps a trained model when they are edited, so a trained model can be
 * resampled another way. Listed here rather than on the node definitions because this file, like
 * the page that reads it, must not load the node registry (and with it tfjs).
 */
export const SAMPLING_ONLY: ParamLists = {
  discriminator: ['rejection', 'rejectPercentile', 'langevinSteps', 'langevinStepSize'],
  noise: ['truncation'],
  noiseSchedule: ['sampler', 'sampleSteps', 'eta', 'variance', 'guidance'],
};

/**
 * Params of what runs after the run's own steps, a discriminator's calibration: a checkpoint taken
 * before it still fits, so a trained GAN can be calibrated later. They do change the run, so the
 * app asks to train again when they are edited.
 */
const AFTER_THE_RUN: ParamLists = {
  adversarial: ['calibrationSteps', 'calibrationLr'],
};

/** The params checkpoints were named without before the schedule's sampler settings left the hash. */
const LEGACY_SKIPPED: ParamLists = { ...AFTER_THE_RUN, discriminator: SAMPLING_ONLY.discriminator, noise: SAMPLING_ONLY.noise };
const HASH_SKIPPED: ParamLists = { ...AFTER_THE_RUN, ...SAMPLING_ONLY };

function without(skipped: ParamLists, type: string, params: Record<string, unknown>): Record<string, unknown> {
  const skip = skipped[type];
  return skip ? Object.fromEntries(Object.entries(params).filter(([k]) => !skip.includes(k))) : params;
}

/** A node's params without those that only change how the trained model is sampled. */
export function modelParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
  return without(SAMPLING_ONLY, type, params);
}

/** The sampling-only params of every node that has any, by node id, as stable text. */
export function samplingKey(doc: GraphDocument): string {
  const picked = doc.nodes.flatMap((n) => {
    const keys = SAMPLING_ONLY[n.type];
    return keys ? [[n.id, Object.fromEntries(keys.filter((k) => k in n.params).map((k) => [k, n.params[k]]))]] : [];
  });
  return canonical(Object.fromEntries(picked));
}

/**
 * How often samples are drawn for show changes nothing that trains; the CLI draws none (sampleEvery 0),
 * so leaving it out lets its checkpoints resume in the app and the app's in the CLI.
 */
function trainingOf(doc: GraphDocument): Partial<GraphDocument['training']> | undefined {
  if (!doc.training) return undefined;
  const { sampleEvery: _shown, ...rest } = doc.training;
  return rest;
}

function hashWithout(doc: GraphDocument, skipped: ParamLists, training: Partial<GraphDocument['training']> | undefined = trainingOf(doc)): string {
  const text = canonical({
    // A lock changes what the optimizers hold; it is listed only when set, so unlocked graphs keep their hash.
    nodes: [...doc.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map((n) => [n.id, n.type, without(skipped, n.type, n.params), n.parentId ?? null, ...(n.frozen ? ['frozen'] : [])]),
    edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle].join('\u0000')).sort(),
    training,
  });
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A stable hash of what a model is: its nodes, wires and training settings, not positions, names or
 * the order things happen to be listed in (a saved and reloaded graph may list them differently).
 */
export function graphHash(doc: GraphDocument): string {
  return hashWithout(doc, HASH_SKIPPED);
}

/**
 * Whether a checkpoint named by `hash` was trained on this graph. Checkpoints saved before the
 * diffusion sampler's settings and the sample interval left the hash carry the older hash: it still
 * fits the graph with the sampler settings it was saved with, at the graph's sample interval (saved
 * in the app) or at none (saved by the CLI, which draws no samples while training).
 */
export function checkpointFits(hash: string, doc: GraphDocument): boolean {
  if (hash === graphHash(doc)) return true;
  const asSaved = [doc.training, ...(doc.training ? [{ ...doc.training, sampleEvery: 0 }] : [])];
  return asSaved.some((training) => hash === hashWithout(doc, LEGACY_SKIPPED, training));
}
