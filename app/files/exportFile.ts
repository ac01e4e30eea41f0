// Export: the graph as a .json download, in the same format the loader reads.
import { serializeGraph } from '../../runtime/graph/load';
import type { GraphDocument } from '../../runtime/graph/document';

export function fileNameFor(doc: GraphDocument): string {
  const stem = doc.name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${stem || 'graph'}.json`;
}

export function exportGraph(doc: GraphDocument): void {
  const blob = new Blob([serializeGraph(doc)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameFor(doc);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
