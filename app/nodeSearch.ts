// Finding node types by name, type, category or description (palette and quick-search).
import { NODE_TYPES } from '../nodes/registry';
import type { AnyNodeDefinition } from '../nodes/types';

export function searchNodes(query: string): AnyNodeDefinition[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...NODE_TYPES];
  const score = (d: AnyNodeDefinition): number => {
    const label = d.label.toLowerCase();
    if (label.startsWith(q) || d.type.toLowerCase().startsWith(q)) return 0;
    if (label.includes(q) || d.type.toLowerCase().includes(q)) return 1;
    if (d.category.includes(q)) return 2;
    if (d.doc.toLowerCase().includes(q)) return 3;
    return -1;
  };
  return NODE_TYPES.map((d) => ({ d, s: score(d) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s)
    .map((x) => x.d);
}
