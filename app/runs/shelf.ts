// A small key-value shelf in IndexedDB (a Map in tests), with listeners told of every change so
// the lists on screen follow what is stored.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

export interface KeyValue {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

/** An IndexedDB object store of its own, so runs and checkpoints never mix with the graph autosave. */
export function idbShelf(db: string): KeyValue {
  let store: UseStore | null = null;
  // Opened on first use: a page that never trains never creates the database.
  const s = () => (store ??= createStore(db, 'kv'));
  return {
    get: (k) => get(k, s()),
    set: (k, v) => set(k, v, s()),
    del: (k) => del(k, s()),
  };
}

export function memoryShelf(): KeyValue & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    del: async (k) => void map.delete(k),
  };
}

export class Listeners {
  private readonly set = new Set<() => void>();
  subscribe = (l: () => void): (() => void) => {
    this.set.add(l);
    return () => this.set.delete(l);
  };
  notify(): void {
    for (const l of this.set) l();
  }
}

/** Runs edits one at a time: two saves in a row must not both read the old index. */
export class Serial {
  private queue: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
