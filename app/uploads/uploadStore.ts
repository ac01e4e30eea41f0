// What both kinds of upload share: kept in IndexedDB by name, and gathered for the nodes of a graph
// that read them before the graph is handed to the worker.
import { get } from 'idb-keyval';
import { getNodeDef } from '../../nodes/registry';
import type { GraphDocument } from '../../runtime/graph/document';

export interface UploadKind {
  /** Which data nodes read this kind of upload: those whose definition's `upload` is of this kind. */
  kind: 'images' | 'text' | 'preferences';
  /** The IndexedDB key an upload of this name is kept under. */
  key(name: string): string;
  /** The error for a node (`type "id"`) whose upload is not in this browser. */
  missing(node: string, name: string): string;
}

/** The uploads a graph reads, by name; a missing one is an error naming its node. */
export async function uploadsFor<T>(doc: GraphDocument, kind: UploadKind): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const n of doc.nodes) {
    const spec = getNodeDef(n.type)?.upload;
    if (spec?.kind !== kind.kind || n.params[spec.choiceParam] !== (spec.choiceValue ?? 'upload')) continue;
    const name = String(n.params[spec.nameParam] ?? '');
    const stored = await get<T>(kind.key(name));
    if (!stored) throw new Error(kind.missing(`${n.type} "${n.id}"`, name));
    out.set(name, stored);
  }
  return out;
}
