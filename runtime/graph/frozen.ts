// Which nodes are frozen: a node's own lock, or the lock of any group it sits in. Fine-tuning keeps
// the weights of these nodes exactly as they were loaded.
import type { GraphNode } from './document';

type Locked = Pick<GraphNode, 'id' | 'parentId' | 'frozen'>;

/** The ids of every node whose weights are locked, directly or through an enclosing group. */
export function frozenNodeIds(nodes: readonly Locked[]): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Set<string>();
  for (const n of nodes) {
    // Bounded by the node count, so a parent cycle (refused elsewhere) cannot loop here.
    let cur: Locked | undefined = n;
    for (let hops = 0; cur && hops <= nodes.length; hops++) {
      if (cur.frozen) {
        out.add(n.id);
        break;
      }
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return out;
}

/** The node ids of a comma-separated list (the CLI's `--freeze`), every unknown one named. */
export function parseFreezeList(list: string, nodes: readonly Locked[]): { ids: string[]; problems: string[] } {
  const known = new Set(nodes.map((n) => n.id));
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const problems = ids.filter((id) => !known.has(id)).map((id) => `--freeze: the graph has no node "${id}"`);
  if (ids.length === 0) problems.push('--freeze expects node ids separated by commas, e.g. enc1,enc2');
  return { ids, problems };
}
