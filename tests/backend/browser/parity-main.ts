// Trains the graph the test hands over, for a few steps, in a module worker on the backend named
// in the query string, as the app's trainer would; the report lands in window.__result.
import type { GraphDocument } from '../../../runtime/graph/document';

const pref = new URLSearchParams(location.search).get('backend') ?? 'wasm';
const w = window as unknown as { __result?: unknown; __train: (doc: GraphDocument, steps: number) => void };
w.__train = (doc, steps) => {
  const worker = new Worker(new URL('./parity-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent) => {
    w.__result = e.data;
    document.getElementById('out')!.textContent = JSON.stringify(e.data, null, 2);
  };
  worker.onerror = (e) => (w.__result = { ok: false, error: e.message || 'the worker failed to load' });
  worker.postMessage({ pref, doc, steps });
};
