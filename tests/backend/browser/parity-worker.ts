// The Trainer on one browser backend: compile the graph, run a few steps one by one and report the
// losses of each, with the backend that really ran them.
import { initBrowserBackend, type BackendPreference } from '../../../runtime/backend/select-browser';
import { browserAssets } from '../../../runtime/data/assets-browser';
import type { GraphDocument } from '../../../runtime/graph/document';
import { Trainer } from '../../../runtime/train/trainer';

self.onmessage = async (e: MessageEvent<{ pref: BackendPreference; doc: GraphDocument; steps: number }>) => {
  try {
    const info = await initBrowserBackend(e.data.pref);
    const trainer = new Trainer({ reader: browserAssets, backend: info.name });
    const loaded = await trainer.load(e.data.doc);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
    const losses: Record<string, number>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < e.data.steps; i++) losses.push(await trainer.step(1));
    self.postMessage({ ok: true, backend: info.name, reason: info.reason, losses, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ ok: false, error: String((err as Error)?.message ?? err) });
  }
};
