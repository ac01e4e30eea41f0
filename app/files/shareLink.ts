// Share links: the graph, compressed, in the URL hash (nothing leaves the browser). Opening one is
// bounded: the link's length, the graph it expands to, and the time it takes — a few kilobytes of
// link can expand to megabytes — and it is decoded and checked off the main thread
// (shareLink.worker.ts), so the page renders first.
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import type { GraphDocument } from '../../runtime/graph/document';

const PREFIX = '#graph=';
/** The longest link opened: the largest example is a few kilobytes compressed. */
export const MAX_LINK_CHARS = 200_000;
/** The largest graph text a link may expand to. */
export const MAX_GRAPH_CHARS = 2_000_000;
/** Decoding a link that takes longer than this is abandoned. */
export const LINK_TIMEOUT_MS = 10_000;

export function shareUrl(doc: GraphDocument, base: string): string {
  const url = `${base.split('#')[0]}${PREFIX}${compressToEncodedURIComponent(serializeGraph(doc))}`;
  if (url.length - base.split('#')[0].length > MAX_LINK_CHARS) throw new Error('the graph is too large for a link: export it as a file instead');
  return url;
}

export function hasSharedGraph(hash: string): boolean {
  return hash.startsWith(PREFIX);
}

export interface SharedGraph {
  doc: GraphDocument | null;
  diagnostics: Diagnostic[];
}

const refusal = (message: string): SharedGraph => ({ doc: null, diagnostics: [{ severity: 'error', code: 'format', message }] });

/** Decodes and checks a share link's hash: the work the worker does, bounded in size. */
export function parseSharedHash(hash: string): SharedGraph {
  if (!hasSharedGraph(hash)) return refusal('the link carries no graph');
  const payload = hash.slice(PREFIX.length);
  if (payload.length > MAX_LINK_CHARS) return refusal(`the link is ${payload.length.toLocaleString('en-US')} characters long; links of up to ${MAX_LINK_CHARS.toLocaleString('en-US')} are opened`);
  const text = decompressFromEncodedURIComponent(payload);
  if (!text) return refusal('the link is damaged: its graph cannot be decompressed');
  if (text.length > MAX_GRAPH_CHARS) return refusal(`the link expands to ${text.length.toLocaleString('en-US')} characters; graphs of up to ${MAX_GRAPH_CHARS.toLocaleString('en-US')} are opened`);
  return parseGraph(text);
}

/** parseSharedHash in a worker, given up after LINK_TIMEOUT_MS. */
export function readSharedHash(hash: string): Promise<SharedGraph> {
  if (hash.length - PREFIX.length > MAX_LINK_CHARS) return Promise.resolve(parseSharedHash(hash));
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./shareLink.worker.ts', import.meta.url), { type: 'module', name: 'genloom-share-link' });
    const done = (r: SharedGraph) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done(refusal(`the link took over ${LINK_TIMEOUT_MS / 1000} s to decode and was abandoned`)), LINK_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent<SharedGraph>) => done(e.data);
    worker.onerror = (e) => done(refusal(`the link could not be decoded: ${e.message || 'worker error'}`));
    worker.postMessage(hash);
  });
}
