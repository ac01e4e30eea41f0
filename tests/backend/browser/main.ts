// Starts the check in a module Web Worker, as the trainer runs, and exposes its report.
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const pref = new URLSearchParams(location.search).get('backend') ?? 'auto';
worker.onmessage = (e: MessageEvent) => {
  (window as unknown as { __result: unknown }).__result = e.data;
  document.getElementById('out')!.textContent = JSON.stringify(e.data, null, 2);
};
worker.onerror = (e) => {
  (window as unknown as { __result: unknown }).__result = { error: `${e.message ?? 'worker failed to load'} at ${e.filename}:${e.lineno}` };
};
worker.postMessage({ pref, crossOriginIsolated: self.crossOriginIsolated });
