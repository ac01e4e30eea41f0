// What a trained model depends on: the graph without its layout. Moving a node or renaming it
// must not ask to recompile; changing a param, a wire or the training settings must. Params that
// only change how the trained model is sampled (a guidance scale, truncated noise) are kept apart:
// editing them resamples the trained model instead of asking to train it again.
import type { GraphDocument } from '../../runtime/graph/document';
import { modelParams, samplingKey } from '../../runtime/train/graph-hash';

const models = new WeakMap<GraphDocument, string>();
const samplings = new WeakMap<GraphDocument, string>();

function cached(cache: WeakMap<GraphDocument, string>, doc: GraphDocument, make: () => string): string {
  let v = cache.get(doc);
  if (v === undefined) {
    v = make();
    cache.set(doc, v);
  }
  return v;
}

export function modelSignature(doc: GraphDocument): string {
  return cached(models, doc, () =>
    JSON.stringify({
      // A lock changes what trains, so it asks for a recompile; unlocked nodes read as before.
      nodes: doc.nodes.map((n) => [n.id, n.type, modelParams(n.type, n.params), n.parentId ?? null, ...(n.frozen ? ['frozen'] : [])]),
      edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
      training: doc.training,
    }),
  );
}

/** The sampling-only params of the graph: when only these change, the trained model is resampled. */
export function samplingSignature(doc: GraphDocument): string {
  return cached(samplings, doc, () => samplingKey(doc));
}
