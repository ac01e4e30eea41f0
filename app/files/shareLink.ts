// Share links: the graph, compressed, in the URL hash (nothing leaves the browser).
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { serializeGraph } from '../../runtime/graph/load';
import type { GraphDocument } from '../../runtime/graph/document';

const PREFIX = '#graph=';

export function shareUrl(doc: GraphDocument, base: string): string {
  return `${base.split('#')[0]}${PREFIX}${compressToEncodedURIComponent(serializeGraph(doc))}`;
}

/** The graph text carried by a hash, or null when the hash carries none. */
export function graphTextFromHash(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  return decompressFromEncodedURIComponent(hash.slice(PREFIX.length)) || null;
}
