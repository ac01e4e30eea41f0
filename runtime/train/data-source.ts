// Loads the data every data node of a compiled graph declares it needs (its definition's `data`),
// and binds it to a batcher.
import type { DataNeed } from '../../nodes/data-needs';
import type { DataInfo } from '../../nodes/sampling';
import type { CompiledGraph } from '../compiler/compile';
import { describeNode } from '../graph/document';
import type { AssetReader } from '../data/assets';
import { createBatcher, type BatchSource, type ResumableBatcher } from '../data/batcher';
import { loadDataset, type LoadedDataset } from '../data/datasets';
import { loadTextDataset, type CharTokenizer, type TextDataset } from '../data/text';

export interface PreparedData {
  batcher: ResumableBatcher;
  /** What each data node loaded, by node id. */
  info: Map<string, DataInfo>;
  /** For 2-D data: held-out real points of the first such set, drawn under generated samples. */
  realPoints?: Float32Array;
  /** For text: the tokenizer of the first text node, saved with the model. */
  tokenizer?: CharTokenizer;
}

/** Datasets the user brought (uploaded images or text), by the name a data node uses. */
export type UserData = Map<string, LoadedDataset | TextDataset>;

async function examples(who: string, need: DataNeed, reader: AssetReader, user: UserData): Promise<LoadedDataset> {
  const own = user.get(need.name);
  if (!need.uploaded) return own && own.kind !== 'text' ? own : loadDataset(need.name, reader);
  if (!own || own.kind === 'text') throw new Error(`${who}: the uploaded images "${need.name}" are not loaded here: upload the images again`);
  const want = need.exampleShape ?? [];
  if (own.exampleShape.join('×') !== want.join('×'))
    throw new Error(`${who}: the uploaded images "${need.name}" are ${own.exampleShape.join('×')} but ${need.shapeParams?.join(', ') ?? "the node's params"} ask for ${want.join('×')}: upload the images again`);
  return own;
}

async function text(who: string, need: DataNeed, reader: AssetReader, user: UserData): Promise<TextDataset> {
  const own = user.get(need.name);
  if (own && own.kind === 'text') return own;
  if (need.uploaded) throw new Error(`${who}: the uploaded text "${need.name}" is not loaded here: upload the .txt file again`);
  return loadTextDataset(need.name, reader);
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
  for (const [id, { node, def, params }] of graph.checked.nodes) {
    const need = def.data?.(params);
    if (!need) continue;
    const who = describeNode(node);
    if (need.kind === 'text') {
      const t = await text(who, need, reader, user);
      byNode[id] = { text: t, contextLength: need.contextLength ?? 1 };
      info.set(id, { kind: 'text', name: need.name, tokenizer: t.tokenizer, lines: t.lines });
      tokenizer ??= t.tokenizer;
      continue;
    }
    const ds = await examples(who, need, reader, user);
    byNode[id] = ds;
    const real = ds.kind === 'points' ? ds.test.x.slice(0, 2 * Math.min(ds.test.count, 1000)) : undefined;
    realPoints ??= real;
    info.set(id, { kind: ds.kind === 'points' ? 'points' : 'images', name: need.name, realPoints: real });
  }
  return { batcher: createBatcher(byNode, seed), info, realPoints, tokenizer };
}
