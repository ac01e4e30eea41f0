// The preference dataset of a graph: its pairs, kept in IndexedDB under the name the graph's
// preferences node reads (as an upload is), so a reload keeps every label. Import and export use the
// preference format (nodes/feedback/preferences.ts); a file that does not parse changes nothing.
import { get, set } from 'idb-keyval';
import { emptyPreferences, parsePreferences, serializePreferences, type PreferenceKind, type PreferencePair, type PreferenceSet } from '../../nodes/feedback/preferences';

/** Where pair sets live: IndexedDB in the app, a Map in tests. */
export interface PairStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

const idb: PairStorage = { get, set };

/** The key of a set; shared with the upload that hands it to the worker. */
export const pairsKey = (name: string) => `genloom-preferences:${name}`;

/** The stored set of this name, or an empty one of this kind; a stored set of another kind is an error naming both. */
export async function loadPairs(name: string, kind: PreferenceKind, shape: number[] | undefined, storage: PairStorage = idb): Promise<PreferenceSet> {
  const stored = await storage.get(pairsKey(name));
  if (stored === undefined) return emptyPreferences(kind, kind === 'image' ? shape : undefined);
  const saved = parsePreferences(stored);
  if (saved.kind !== kind) throw new Error(`the pairs "${name}" compare ${saved.kind}, but this graph's preferences node compares ${kind}`);
  return saved;
}

export async function savePairs(name: string, pairs: PreferenceSet, storage: PairStorage = idb): Promise<void> {
  // Checked on the way in, so that what is stored always loads back.
  await storage.set(pairsKey(name), parsePreferences(pairs));
}

export function withPairs(s: PreferenceSet, added: PreferencePair[]): PreferenceSet {
  return { ...s, pairs: [...s.pairs, ...added] };
}

export function withoutPair(s: PreferenceSet, index: number): PreferenceSet {
  return { ...s, pairs: s.pairs.filter((_, i) => i !== index) };
}

/**
 * The pairs of an imported file added to `current`. A file that is not JSON, not a preference set, or
 * of another kind or image shape is refused with the reason, and `current` is returned untouched by the caller.
 */
export function importPairs(current: PreferenceSet, text: string, fileName: string): PreferenceSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${fileName}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  let incoming: PreferenceSet;
  try {
    incoming = parsePreferences(json);
  } catch (err) {
    throw new Error(`${fileName}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (incoming.kind !== current.kind) throw new Error(`${fileName}: its pairs compare ${incoming.kind}, but this graph's compare ${current.kind}`);
  if (current.kind === 'image' && incoming.shape?.join('×') !== current.shape?.join('×'))
    throw new Error(`${fileName}: its images are ${incoming.shape?.join('×')}, but this graph's are ${current.shape?.join('×')}`);
  return withPairs(current, incoming.pairs);
}

export function exportPairs(s: PreferenceSet): string {
  return serializePreferences(s);
}

/**
 * The pairs a graph's preferences node reads, by name, for the worker before the graph is loaded. A
 * set not rated yet goes as an empty one: the node then says to rate samples when it needs pairs.
 */
export async function pairsFor(target: { name: string; kind: PreferenceKind; shape?: number[] } | null, storage: PairStorage = idb): Promise<Map<string, PreferenceSet>> {
  const out = new Map<string, PreferenceSet>();
  if (target && target.name) out.set(target.name, await loadPairs(target.name, target.kind, target.shape, storage));
  return out;
}
