// How a graph's preference loss scores samples as if each were a pair's chosen sample: a reward
// model's reward, or DPO's implicit reward β·log π/π_ref. The held-out agreement with the rater and
// the rank correlation with its true reward are measured from these.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { PreferenceSample } from '../../nodes/feedback/preferences';
import type { CompiledGraph } from '../compiler/compile';
import { refKey } from '../compiler/partition';
import { downstreamNodes } from '../compiler/plan';
import { samplesTensor, type PreferencePool } from '../data/preference-batches';
import { Evaluator } from '../train/evaluator';

export interface ScoreSource {
  graph: CompiledGraph;
  batcher: DataBatcher;
  pool: PreferencePool;
  /** The preferences node. */
  nodeId: string;
  step: number;
}

export interface Scores {
  score: Float32Array;
  logRatio?: Float32Array;
}

/** The losses downstream of a preferences node that can score samples, in graph order. */
export function preferenceScorers(graph: CompiledGraph, prefNode: string): string[] {
  return [...downstreamNodes(graph.checked, prefNode)].filter((id) => graph.checked.nodes.get(id)?.def.preferenceScores);
}

/** The loss downstream of a preferences node that can score samples, or null. */
export function preferenceScorer(graph: CompiledGraph, prefNode: string): string | null {
  return preferenceScorers(graph, prefNode)[0] ?? null;
}

const CHUNK = 256;

/**
 * The first scorer's score of each sample; the log-ratio to the reference from the first scorer that
 * gives one (a reward model's loss scores, the fine-tune beside it knows how far the model moved).
 */
export function scorePreferences(src: ScoreSource, samples: readonly PreferenceSample[]): Scores | null {
  const lossNodes = preferenceScorers(src.graph, src.nodeId);
  if (lossNodes.length === 0) return null;
  const score = new Float32Array(samples.length);
  let logRatio: Float32Array | undefined;
  for (let at = 0; at < samples.length; at += CHUNK) {
    const part = samples.slice(at, at + CHUNK);
    const out = tf.tidy(() => {
      const chosen = samplesTensor(src.pool, part, src.nodeId);
      const ev = new Evaluator(src.graph, {
        mode: 'eval', batchSize: part.length, step: src.step, data: src.batcher, salt: 0, seed: 0,
        overrides: new Map([[refKey({ node: src.nodeId, port: 'chosen' }), chosen]]),
      });
      const all = lossNodes.map((id) => src.graph.checked.nodes.get(id)!.def.preferenceScores!(ev.context(id)));
      const logRatio = all.find((s) => s.logRatio)?.logRatio;
      return logRatio ? [all[0].score, logRatio] : [all[0].score];
    });
    score.set(out[0].dataSync(), at);
    if (out[1]) (logRatio ??= new Float32Array(samples.length)).set(out[1].dataSync(), at);
    tf.dispose(out);
  }
  return { score, logRatio };
}
