// Loads the data every dataset node of a compiled graph reads, and binds it to a batcher.
import type { DataBatcher } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import type { AssetReader } from '../data/assets';
import { createBatcher, type BatchSource } from '../data/batcher';
import { loadDataset, type LoadedDataset } from '../data/datasets';
import { pointSettingsOf } from '../data/procedural';
import { loadTextDataset, type CharTokenizer, type TextDataset } from '../data/text';

export interface PreparedData {
  batcher: DataBatcher;
  /** For 2-D data: held-out real points, drawn under generated samples. */
  realPoints?: Float32Array;
  /** For text: the tokenizer of the (first) text node, saved with the model. */
  tokenizer?: CharTokenizer;
  textLines?: boolean;
}

/** Datasets the user brought (uploaded images or text), by the name a dataset node uses. */
export type UserData = Map<string, LoadedDataset | TextDataset>;

async function builtIn(name: string, reader: AssetReader, user: UserData, params: Record<string, unknown> = {}): Promise<LoadedDataset> {
  const own = user.get(name);
  return own && own.kind !== 'text' ? own : loadDataset(name, reader, pointSettingsOf(params));
}

/** The images a dataset node's upload names, which must have the shape its params promise. */
function uploadedImages(id: string, params: Record<string, unknown>, user: UserData): LoadedDataset {
  const name = String(params.uploadName);
  const own = user.get(name);
  if (!own || own.kind !== 'image')
    throw new Error(`dataset "${id}": the uploaded images "${name}" are not loaded here: upload the images again`);
  const size = Number(params.uploadSize);
  const want = [size, size, params.uploadColor === 'rgb' ? 3 : 1];
  if (own.exampleShape.join('×') !== want.join('×'))
    throw new Error(`dataset "${id}": the uploaded images "${name}" are ${own.exampleShape.join('×')} but uploadSize/uploadColor ask for ${want.join('×')}: upload the images again`);
  return own;
}

export async function prepareData(
  graph: CompiledGraph,
  reader: AssetReader,
  seed: number,
  user: UserData = new Map(),
): Promise<PreparedData> {
  const byNode: Record<string, BatchSource> = {};
  let realPoints: Float32Array | undefined;
  let tokenizer: CharTokenizer | undefined;
  let textLines: boolean | undefined;
  for (const [id, { node, params }] of graph.checked.nodes) {
    if (node.type === 'dataset') {
      const ds = params.dataset === 'upload' ? uploadedImages(id, params, user) : await builtIn(String(params.dataset), reader, user, params);
      byNode[id] = ds;
      if (ds.kind === 'points' && !realPoints) realPoints = ds.test.x.slice(0, 2 * Math.min(ds.test.count, 1000));
    } else if (node.type === 'textDataset') {
      const uploaded = params.corpus === 'upload';
      const name = uploaded ? String(params.uploadName) : String(params.corpus);
      const own = user.get(name);
      if (uploaded && own?.kind !== 'text')
        throw new Error(`textDataset "${id}": the uploaded text "${name}" is not loaded here: upload the .txt file again`);
      const text = own && own.kind === 'text' ? own : await loadTextDataset(name, reader);
      byNode[id] = { text, contextLength: Number(params.contextLength) };
      tokenizer ??= text.tokenizer;
      textLines ??= text.lines;
    }
  }
  return { batcher: createBatcher(byNode, seed), realPoints, tokenizer, textLines };
}
