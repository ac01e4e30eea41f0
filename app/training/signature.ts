// What a trained model depends on: the graph without its layout. Moving a node or renaming it
// must not ask to recompile; changing a param, a wire or the training settings must.
import type { GraphDocument } from '../../runtime/graph/document';

const cache = new WeakMap<GraphDocument, string>();

export function modelSignature(doc: GraphDocument): string {
  let sig = cache.get(doc);
  if (sig === undefined) {
    sig = JSON.stringify({
      // A lock changes what trains, so it asks for a recompile; unlocked nodes read as before.
      nodes: doc.nodes.map((n) => [n.id, n.type, n.params, n.parentId ?? null, ...(n.frozen ? ['frozen'] : [])]),
      edges: doc.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
      training: doc.training,
    });
    cache.set(doc, sig);
  }
  return sig;
}
