// Loads the data every data node of a compiled graph declares it needs (its definition's `data`),
// and binds it to a batcher.
import type { DataNeed } from '../../nodes/data-needs';
import type { DataInfo } from '../../nodes/sampling';
import type { CompiledGraph } from '../compiler/compile';
import { describeNode } from '../graph/document';
import type { AssetReader } from '../data/assets';
import { createBatcher, type BatchSource, type ResumableBatcher } from '../data/batcher';
import { loadDataset, type LoadedDataset } from '../data/datasets';
import { pointSettingsOf } from '../data/procedural';
import { loadTextDataset, withHeldOutLines, type CharTokenizer, type TextDataset } from '../data/text';
import { emptyPreferences, type PreferenceSet } from '../../nodes/feedback/preferences';
import type { PreferencePool } from '../data/preference-batches';

export interface PreparedData {
  batcher: ResumableBatcher;
  /** What each data node loaded, by node id. */
  info: Map<string, DataInfo>;
  /** For 2-D data: held-out real points of the first such set, drawn under generated samples. */
  realPoints?: Float32Array;
  /** For text: the tokenizer of the first text node, saved with the model. */
  tokenizer?: CharTokenizer;
  /** The live pair pools of preference nodes, by node id (the feedback loop adds pairs to them). */
  preferences: Map<string, PreferencePool>;
}

/**
 * Datasets the user brought (uploaded images or text, preference pairs rated in the app), by the
 * name a data node uses.
 */
export type UserData = Map<string, LoadedDataset | TextDataset | PreferenceSet>;

function isPreferenceSet(v: LoadedDataset | TextDataset | PreferenceSet | undefined): v is PreferenceSet {
  return v !== undefined && 'pairs' in v;
}

function preferencePool(who: string, need: DataNeed, user: UserData, tokenizer: CharTokenizer | undefined): PreferencePool {
  const kind = need.preferenceKind ?? 'points';
  const own = user.get(need.name);
  if (own !== undefined && !isPreferenceSet(own)) throw new Error(`${who}: "${need.name}" holds data, not preference pairs`);
  if (!own && need.uploaded) throw new Error(`${who}: the preference pairs "${need.name}" are not loaded here: rate samples or import the pairs again`);
  const set = own ?? emptyPreferences(kind, kind === 'image' ? need.exampleShape : undefined);
  if (set.kind !== kind) throw new Error(`${who}: the preference pairs "${need.name}" compare ${set.kind}, but the node's kind is ${kind}`);
  if (kind === 'image' && set.shape?.join('×') !== need.exampleShape?.join('×'))
    throw new Error(`${who}: the preference pairs "${need.name}" hold ${set.shape?.join('×')} images, but the node's image shape is ${need.exampleShape?.join('×')}`);
  if (kind === 'text' && !tokenizer) throw new Error(`${who}: text pairs need a text dataset in the graph for the vocabulary`);
  return { name: need.name, set, testFraction: need.testFraction ?? 0.2, exampleShape: need.exampleShape ?? [2], tokenizer, scripted: need.scripted };
}

/** `params` are the node's own: the ring and grid sizes of a points set come from them. */
/** What the user brought under `name`, unless it is a preference set (read only by preference nodes). */
export function userDataset(user: UserData, name: string): LoadedDataset | TextDataset | undefined {
  const got = user.get(name);
  return isPreferenceSet(got) ? undefined : got;
}

async function examples(who: string, need: DataNeed, reader: AssetReader, user: UserData, params: Record<string, unknown>): Promise<LoadedDataset> {
  const own = userDataset(user, need.name);
  if (!need.uploaded) return own && own.kind !== 'text' ? own : loadDataset(need.name, reader, pointSettingsOf(params));
  if (!own || own.kind === 'text') throw new Error(`${who}: the uploaded images "${need.name}" are not loaded here: upload the images again`);
  const want = need.exampleShape ?? [];
  if (own.exampleShape.join('×') !== want.join('×'))
    throw new Error(`${who}: the uploaded images "${need.name}" are ${own.exampleShape.join('×')} but ${need.shapeParams?.join(', ') ?? "the node's params"} ask for ${want.join('×')}: upload the images again`);
  if (need.classes !== undefined && own.info.classes !== need.classes)
    throw new Error(`${who}: the uploaded images "${need.name}" hold ${own.info.classes ? `${own.info.classes} classes` : 'no labels'} but uploadClasses names ${need.classes}: upload the images again with "labelled upload" set`);
  return own;
}

/** The text a node's need names, split as training splits it (`heldOutLines` re-splits a corpus of lines). */
export async function loadNeededText(who: string, need: DataNeed, reader: AssetReader, user: UserData = new Map()): Promise<TextDataset> {
  const own = userDataset(user, need.name);
  if (need.uploaded && own?.kind !== 'text') throw new Error(`${who}: the uploaded text "${need.name}" is not loaded here: upload the .txt file again`);
  const ds = own?.kind === 'text' ? own : await loadTextDataset(need.name, reader);
  return need.heldOutLines ? withHeldOutLines(ds, need.heldOutLines, who) : ds;
}

export async function prepareData(
  graph: CompiledGraph,
  reader: AssetReader,
  seed: number,
  user: UserData = new Map(),
): Promise<PreparedData> {
  const byNode: Record<string, BatchSource> = {};
  const info = new Map<string, DataInfo>();
  let realPoints: Float32Array | undefined;
  let tokenizer: CharTokenizer | undefined;
  const pairsWanted: [string, string, DataNeed][] = [];
  for (const [id, { node, def, params }] of graph.checked.nodes) {
    const need = def.data?.(params);
    if (!need) continue;
    const who = describeNode(node);
    if (need.kind === 'preferences') {
      pairsWanted.push([id, who, need]);
      continue;
    }
    if (need.kind === 'text') {
      const t = await loadNeededText(who, need, reader, user);
      if (need.perLine && !t.lines) throw new Error(`${who}: one line per example needs a corpus of lines, and "${need.name}" is one running text: set examples to windows`);
      byNode[id] = { text: t, contextLength: need.contextLength ?? 1, perLine: need.perLine === true };
      info.set(id, { kind: 'text', name: need.name, tokenizer: t.tokenizer, lines: t.lines });
      tokenizer ??= t.tokenizer;
      continue;
    }
    const ds = await examples(who, need, reader, user, params);
    byNode[id] = ds;
    const real = ds.kind === 'points' ? ds.test.x.slice(0, 2 * Math.min(ds.test.count, 1000)) : undefined;
    realPoints ??= real;
    info.set(id, { kind: ds.kind === 'points' ? 'points' : 'images', name: need.name, realPoints: real });
  }
  // After the text nodes: text pairs are read with the language model's vocabulary.
  const preferences = new Map<string, PreferencePool>();
  for (const [id, who, need] of pairsWanted) {
    const pool = preferencePool(who, need, user, tokenizer);
    preferences.set(id, pool);
    byNode[id] = { preferences: pool };
  }
  return { batcher: createBatcher(byNode, seed), info, realPoints, tokenizer, preferences };
}
