// Autosave to IndexedDB: the graph and the viewport, restored when the page reloads.
import { get, set } from 'idb-keyval';
import { serializeGraph } from '../../runtime/graph/load';
import type { Viewport } from '../../runtime/graph/document';
import { store, type AppState } from '../store/store';

const KEY = 'genloom.autosave.v1';

export interface Saved {
  graph: string;
  viewport: Viewport | null;
}

export async function loadAutosave(): Promise<Saved | null> {
  try {
    const saved = (await get(KEY)) as Saved | undefined;
    return saved && typeof saved.graph === 'string' ? saved : null;
  } catch {
    return null;
  }
}

/** Saves shortly after the graph or the viewport stops changing. */
export function startAutosave(delayMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: Pick<AppState, 'viewport'> & { doc: unknown } = { doc: store.get().editor.doc, viewport: store.get().viewport };
  const unsubscribe = store.subscribe(() => {
    const s = store.get();
    if (s.editor.doc === last.doc && s.viewport === last.viewport) return;
    last = { doc: s.editor.doc, viewport: s.viewport };
    clearTimeout(timer);
    timer = setTimeout(() => {
      const saved: Saved = { graph: serializeGraph(s.editor.doc), viewport: s.viewport };
      set(KEY, saved).catch(() => undefined);
    }, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
