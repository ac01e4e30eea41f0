// Autosave to IndexedDB: the graph and the viewport, restored when the page reloads. The last two
// versions are kept, each with a checksum: a version that is corrupted (cut short by a crash, or
// changed on disk) is passed over for the one before it.
import { get, set } from 'idb-keyval';
import { parseGraph, serializeGraph } from '../../runtime/graph/load';
import type { Viewport } from '../../runtime/graph/document';
import { store, type AppState } from '../store/store';

const KEY = 'genloom.autosave.v1';
const PREVIOUS = 'genloom.autosave.v1.previous';

export interface Saved {
  graph: string;
  viewport: Viewport | null;
  /** FNV-1a of `graph`; absent in saves from before it was added. */
  check?: number;
}

/** Where saves live: IndexedDB in the app, a Map in tests. */
export interface SaveStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

const idb: SaveStorage = { get, set };

export function checksum(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function good(v: unknown): v is Saved {
  const s = v as Saved | undefined;
  if (!s || typeof s.graph !== 'string') return false;
  if (s.check !== undefined && s.check !== checksum(s.graph)) return false;
  return parseGraph(s.graph).doc !== null;
}

/** The newest save that is intact and loads; `fellBack` when that is the previous one. */
export async function loadAutosave(storage: SaveStorage = idb): Promise<(Saved & { fellBack: boolean }) | null> {
  for (const [key, fellBack] of [[KEY, false], [PREVIOUS, true]] as const) {
    try {
      const v = await storage.get(key);
      if (good(v)) return { ...v, fellBack };
    } catch {
      // An unreadable entry is as good as a corrupted one: try the previous.
    }
  }
  return null;
}

/** Saves `saved` as the newest version, keeping the one before it if that one is intact. */
export async function writeAutosave(saved: Omit<Saved, 'check'>, storage: SaveStorage = idb): Promise<void> {
  const current = await storage.get(KEY).catch(() => undefined);
  if (good(current) && current.graph !== saved.graph) await storage.set(PREVIOUS, current);
  await storage.set(KEY, { ...saved, check: checksum(saved.graph) });
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
      writeAutosave({ graph: serializeGraph(s.editor.doc), viewport: s.viewport }).catch(() => undefined);
    }, delayMs);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
