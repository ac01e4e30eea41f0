// What both kinds of upload share: kept in IndexedDB by name, and gathered for the nodes of a graph
// that read them before the graph is handed to the worker.
import { get } from 'idb-keyval';
import type { GraphDocument } from '../../runtime/graph/document';

export interface UploadKind {
  /** The node type that reads this kind of upload, and the param whose value 'upload' selects it. */
  nodeType: string;
  choiceParam: string;
  /** The IndexedDB key an upload of this name is kept under. */
  key(name: string): string;
  /** The error for a node whose upload is not in this browser. */
  missing(nodeId: string, name: string): string;
}

/** The uploads a graph reads, by name; a missing one is an error naming its node. */
export async function uploadsFor<T>(doc: GraphDocument, kind: UploadKind): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const n of doc.nodes) {
    if (n.type !== kind.nodeType || n.params[kind.choiceParam] !== 'upload') continue;
    const name = String(n.params.uploadName ?? '');
    const stored = await get<T>(kind.key(name));
    if (!stored) throw new Error(kind.missing(n.id, name));
    out.set(name, stored);
  }
  return out;
}
