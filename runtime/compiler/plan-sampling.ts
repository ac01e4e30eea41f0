// Pass 6, plan sampling: the first node whose definition declares a sampler and finds something to
// sample in the graph's wiring says how the graph is sampled. The compiler knows no family.
import type { GraphQuery, SampleKind, SamplingPlan } from '../../nodes/sampling';
import type { ShapeMap } from '../../nodes/types';
import { upstreamNodes } from './plan';
import type { Checked } from './structure';

/** What the planner answers when nothing in the graph can be sampled (a classifier). */
export type MaybeSamplingPlan = SamplingPlan | null;

/** A read-only query over a checked graph, for samplers and other definition hooks. */
export function graphQuery(checked: Checked, shapes: Record<string, ShapeMap>): GraphQuery {
  const upstream = new Map<string, Set<string>>();
  return {
    inputPorts: (node) => checked.nodes.get(node)?.def.inputs.map((p) => p.id) ?? [],
    inputOf: (node, port) => {
      const e = checked.incoming.get(node)?.get(port);
      return e ? { node: e.source, port: e.sourceHandle } : null;
    },
    isUpstream: (node, of) => {
      let up = upstream.get(of);
      if (!up) upstream.set(of, (up = upstreamNodes(checked, of)));
      return up.has(node);
    },
    shapeOf: (ref) => shapes[ref.node]?.[ref.port],
    losses: () => [...checked.nodes].filter(([, n]) => n.def.role === 'loss').map(([id]) => id),
    nodesOfType: (type) => [...checked.nodes].filter(([, n]) => n.def.type === type).map(([id]) => id),
    paramsOf: (node) => checked.nodes.get(node)?.params,
  };
}

export function planSampling(checked: Checked, shapes: Record<string, ShapeMap>): MaybeSamplingPlan {
  const q = graphQuery(checked, shapes);
  for (const [id, { def, params }] of checked.nodes) {
    const found = def.sampler?.plan(q, id, params);
    if (found) return { ...found, node: id, settings: found.settings ?? {} };
  }
  return null;
}

/** What a sample of this graph looks like to a person. */
export function sampleKindOf(plan: MaybeSamplingPlan): SampleKind | 'none' {
  return plan?.output ?? 'none';
}
