// Texts the user uploads for textDataset nodes: checked here, kept in IndexedDB (so a reload still
// trains), and handed to the worker before a graph that reads them is loaded.
import { set } from 'idb-keyval';
import type { GraphDocument } from '../../runtime/graph/document';
import { datasetFromText } from '../../runtime/data/uploads';
import { uploadsFor, type UploadKind } from './uploadStore';

const TEXTS: UploadKind = {
  kind: 'text',
  key: (name) => `genloom-upload:${name}`,
  missing: (node, name) => `${node}: the uploaded text "${name}" is not in this browser: upload the .txt file again`,
};

export interface StoredText {
  text: string;
  /** One example per line (like the names corpus) rather than running text. */
  lines: boolean;
}

/** Many short lines read as a list of examples; anything else as running text. */
export function looksLikeLines(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 20) return false;
  const lengths = lines.map((l) => l.length).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length / 2)] <= 30;
}

/** Checks and stores an uploaded text; returns the params a textDataset node records for it. */
export async function storeText(name: string, text: string): Promise<{ params: Record<string, unknown>; stored: StoredText }> {
  const lines = looksLikeLines(text);
  const ds = datasetFromText(text, { lines }); // throws with a clear message if the text is too short
  const stored = { text, lines };
  await set(TEXTS.key(name), stored);
  return { params: { corpus: 'upload', uploadName: name, uploadVocabSize: ds.tokenizer.vocabSize }, stored };
}

/** The uploaded texts a graph reads, by name; a missing one is an error naming its node. */
export function textsFor(doc: GraphDocument): Promise<Map<string, StoredText>> {
  return uploadsFor<StoredText>(doc, TEXTS);
}
