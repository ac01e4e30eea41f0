// Generating from a trained graph: the graph's sampling node's definition does the work; this file
// gives it the graph to evaluate and the data the graph loaded.
import * as tf from '@tensorflow/tfjs';
import type { DataInfo, FamilyMetricsOptions, SampleEnv, SampleRequest, SampleResult } from '../../nodes/sampling';
import type { DataBatcher, PortValue } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { refKey } from '../compiler/partition';
import { Evaluator } from './evaluator';

export type { SampleRequest } from '../../nodes/sampling';

export interface SampleSource {
  graph: CompiledGraph;
  data: DataBatcher;
  /** What each data node loaded, by node id. */
  dataInfo: Map<string, DataInfo>;
  realPoints?: Float32Array;
  step: number;
}

export function sampleEnv(src: SampleSource): SampleEnv {
  return {
    // Tidied: only the asked-for tensor survives, not the noise and data it was computed from.
    evaluate: (ref, o) =>
      tf.tidy(() => new Evaluator(src.graph, {
        mode: 'sample',
        batchSize: o.batchSize,
        step: src.step,
        data: src.data,
        salt: o.salt ?? 0,
        seed: o.seed,
        overrides: o.overrides && new Map<string, PortValue>(o.overrides.map(([r, v]) => [refKey(r), v])),
      }).tensor(ref)),
    value: <T,>(ref: Parameters<SampleEnv['value']>[0]) =>
      new Evaluator(src.graph, { mode: 'sample', batchSize: 1, step: src.step, data: src.data, salt: 0, seed: 0 }).value(ref) as T,
    dataOf: (id) => src.dataInfo.get(id),
    realPoints: src.realPoints,
    toData: (at, x) => {
      const n = src.graph.checked.nodes.get(at.node);
      return n?.def.toData ? n.def.toData(n.params, x) : x.clone();
    },
    heldOutCount: (ref) => src.data.heldOutCount?.(ref.node) ?? null,
    heldOut: (ref, start, n) => {
      const ports = src.data.heldOut?.(ref.node, start, n);
      if (!ports?.[ref.port]) throw new Error(`port "${ref.node}.${ref.port}" reads no held-out examples in order`);
      tf.dispose(Object.entries(ports).filter(([k]) => k !== ref.port).map(([, t]) => t));
      return ports[ref.port];
    },
    logLikelihood: (loss, pred, target, seed) => {
      const n = src.graph.checked.nodes.get(loss);
      return n?.def.logLikelihood?.(n.params, pred, target, seed) ?? null;
    },
  };
}

function samplerOf(graph: CompiledGraph) {
  const plan = graph.sampling;
  const def = plan && graph.checked.nodes.get(plan.node)?.def.sampler;
  if (!plan || !def)
    throw new Error('this graph has nothing to sample from: it needs a generator, a VAE decoder, a denoiser or a language model');
  return { plan, def };
}

export function generate(src: SampleSource, req: SampleRequest): Promise<SampleResult> {
  const { plan, def } = samplerOf(src.graph);
  return def.sample(sampleEnv(src), plan, req);
}

/** The family's own held-out figures (empty when its sampler has none). */
export function familyMetrics(src: SampleSource, opts: FamilyMetricsOptions): Record<string, number> {
  const { plan, def } = samplerOf(src.graph);
  return def.metrics?.(sampleEnv(src), plan, opts) ?? {};
}

/** Samples as a tensor inside a training step (on-policy objectives), or null if the graph's sampler cannot. */
export function drawer(src: SampleSource): ((count: number, seed: number) => tf.Tensor) | undefined {
  const plan = src.graph.sampling;
  const def = plan && src.graph.checked.nodes.get(plan.node)?.def.sampler;
  if (!plan || !def?.draw) return undefined;
  const env = sampleEnv(src);
  return (count, seed) => def.draw!(env, plan, count, seed);
}
