/**
 * Character-level text: the tokenizer and the text datasets that language-model nodes train on.
 *
 * Tokenizer
 *   const tok = CharTokenizer.fromText(corpus);   // vocabulary = the corpus's distinct characters
 *   tok.vocabSize                                  // characters + 1 (the end-of-text token)
 *   tok.endToken                                   // always id 0; characters are ids 1.. in code-point order
 *   tok.encode('anna')        → Int32Array        // throws Error('unknown characters "é", "ß": the vocabulary has …')
 *   tok.decode(ids, end?)     → string            // the end token becomes `end` (default '')
 *   tok.toJSON() / CharTokenizer.fromJSON(json)    // plain JSON, saved beside a model's weights
 *
 * Datasets (TextDataset)
 *   'names'     — 8,422 English first names, lower-cased (the asset stores them that way, which
 *                 keeps the vocabulary at 26 letters, '-' and the end token). Each name is followed
 *                 by the end token in one stream that also starts with it: [end] anna [end] bob [end] …;
 *                 names are in a seeded random order so a name does not predict the next. Split by
 *                 name: a seeded 10% of the names are held out, or a chosen number of them
 *                 (withHeldOutLines; makemore holds out 1,000).
 *   'names-us'  — 29,693 distinct US names of 2018 (makemore's corpus), a–z only, read the same way.
 *   'names-us-rows' — the same names one line per name and sex (32,257 lines), as makemore's
 *                 names.txt: a unisex name is listed twice, so it can fall on both sides of the split.
 *   'moby-dick' — the whole novel as one stream, split by position: the last 10% is held out.
 *   train/test.tokens is that stream; train/test.starts, for line corpora, lists where a training
 *   window may begin (at the end token before a name), so every window starts as sampling does.
 *
 * Batches: the DataBatcher (batcher.ts) cuts windows of contextLength + 1 tokens from a split:
 * tokens = window[0..T), targets = window[1..T]. Bind a text node to its data with
 * { text: TextDataset, contextLength, perLine? } (TextBinding) in createBatcher's map. With perLine
 * each window holds one line: after the line's end token the tokens are the end token and the
 * targets PAD_TARGET (-1), which the cross-entropy leaves out.
 *
 * Sampling names: start from [tok.endToken], feed back the predicted ids, stop at the end token.
 */
import { DATASETS, type DatasetInfo } from '../../nodes/datasets';
import { cachedLoad, readChecked, readManifest, type AssetReader } from './assets';
import { permutation } from '../../nodes/rng';

export const CHAR_VOCAB_FORMAT = 'genloom.chars';

export interface CharVocabJSON {
  format: typeof CHAR_VOCAB_FORMAT;
  version: 1;
  /** The characters of ids 1, 2, …; id 0 is the end-of-text token. */
  chars: string[];
}

export class CharTokenizer {
  readonly endToken = 0;
  private readonly ids: Map<string, number>;

  private constructor(readonly chars: readonly string[]) {
    this.ids = new Map(chars.map((c, i) => [c, i + 1]));
    if (this.ids.size !== chars.length) throw new Error('a character vocabulary must not repeat characters');
  }

  /** The vocabulary of `text`: its distinct code points, sorted. */
  static fromText(text: string): CharTokenizer {
    const set = new Set<string>();
    for (const c of text) set.add(c);
    return new CharTokenizer([...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<CharVocabJSON> | null;
    if (!j || j.format !== CHAR_VOCAB_FORMAT || j.version !== 1 || !Array.isArray(j.chars)) {
      throw new Error(`not a character vocabulary: expected { format: "${CHAR_VOCAB_FORMAT}", version: 1, chars: [...] }`);
    }
    if (!j.chars.every((c) => typeof c === 'string' && [...c].length === 1)) {
      throw new Error('a character vocabulary lists single characters');
    }
    return new CharTokenizer(j.chars);
  }

  toJSON(): CharVocabJSON {
    return { format: CHAR_VOCAB_FORMAT, version: 1, chars: [...this.chars] };
  }

  get vocabSize(): number {
    return this.chars.length + 1;
  }

  encode(text: string): Int32Array {
    const out: number[] = [];
    let unknown: Set<string> | null = null;
    for (const c of text) {
      const id = this.ids.get(c);
      if (id === undefined) (unknown ??= new Set()).add(c);
      else out.push(id);
    }
    if (unknown) {
      const list = [...unknown].map((c) => JSON.stringify(c)).join(', ');
      throw new Error(
        `unknown characters ${list}: the vocabulary has ${this.chars.length} characters ` +
          `${JSON.stringify(this.chars.join(''))} and an end-of-text token`,
      );
    }
    return Int32Array.from(out);
  }

  decode(ids: ArrayLike<number>, end = ''): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.endToken) s += end;
      else if (Number.isInteger(id) && id > 0 && id <= this.chars.length) s += this.chars[id - 1];
      else throw new Error(`token id ${id} is outside the vocabulary (0..${this.chars.length})`);
    }
    return s;
  }
}

export interface TextSplit {
  /** The token stream. */
  tokens: Int32Array;
  /** Line corpora: the positions a window may start at (each line's preceding end token). */
  starts?: Int32Array;
  /** Lines (line corpora) or characters in this split. */
  count: number;
}

export interface TextDataset {
  kind: 'text';
  info: DatasetInfo;
  tokenizer: CharTokenizer;
  /** One example per line (names) rather than one running text. */
  lines: boolean;
  train: TextSplit;
  test: TextSplit;
}

/** A text dataset bound to the context length of the node that reads it. */
export interface TextBinding {
  text: TextDataset;
  contextLength: number;
  /** One line per example, padded after its end token (the targets there are PAD_TARGET), not windows. */
  perLine?: boolean;
}

/** The target of a padding position: the loss leaves it out. */
export const PAD_TARGET = -1;

export const TEXT_TEST_FRACTION = 0.1;
const SPLIT_SEED = 7;

/** A split of encoded lines: [end] line [end] line [end] …, each start at the end token before its line. */
function lineSplit(lines: readonly Int32Array[], endToken: number): TextSplit {
  const tokens = new Int32Array(lines.reduce((a, l) => a + l.length + 1, 1));
  const starts = new Int32Array(lines.length);
  tokens[0] = endToken;
  let p = 1;
  lines.forEach((line, i) => {
    starts[i] = p - 1;
    tokens.set(line, p);
    p += line.length;
    tokens[p++] = endToken;
  });
  return { tokens, starts, count: lines.length };
}

/** Where line k of a line split ends: at its end token, the next line's start or the stream's last token. */
export function lineEnd(split: TextSplit, starts: Int32Array, k: number): number {
  return k + 1 < starts.length ? starts[k + 1] : split.tokens.length - 1;
}

/** The encoded lines of a line split, in its order. */
function splitLines(split: TextSplit): Int32Array[] {
  const starts = split.starts ?? new Int32Array(0);
  return Array.from(starts, (s, k) => split.tokens.subarray(s + 1, lineEnd(split, starts, k)));
}

/**
 * A line corpus split again with `testLines` lines held out (makemore holds out 1,000). The
 * training lines followed by the held-out ones are the corpus in its seeded split order, so the
 * held-out lines are always the last `testLines` of that order, whatever the first split was.
 */
export function withHeldOutLines(ds: TextDataset, testLines: number, who = `text dataset "${ds.info.name}"`): TextDataset {
  if (!ds.lines) throw new Error(`${who}: heldOutLines holds out whole lines, and "${ds.info.name}" is one running text: set heldOutLines to 0`);
  const all = [...splitLines(ds.train), ...splitLines(ds.test)];
  if (!(Number.isInteger(testLines) && testLines >= 1 && testLines < all.length))
    throw new Error(`${who}: heldOutLines must be a whole number from 1 to ${all.length - 1} (the corpus has ${all.length} lines, and one must stay for training), got ${testLines}`);
  const cut = all.length - testLines;
  return { ...ds, train: lineSplit(all.slice(0, cut), ds.tokenizer.endToken), test: lineSplit(all.slice(cut), ds.tokenizer.endToken) };
}

/**
 * A text dataset from raw text. With `lines`, each non-empty line is one example and a seeded
 * `testFraction` of them is held out; otherwise the last `testFraction` of the text is.
 */
export function buildTextDataset(
  info: DatasetInfo,
  text: string,
  options: { lines?: boolean; testFraction?: number; tokenizer?: CharTokenizer } = {},
): TextDataset {
  const testFraction = options.testFraction ?? TEXT_TEST_FRACTION;
  const tokenizer = options.tokenizer ?? CharTokenizer.fromText(options.lines ? text.replace(/\r?\n/g, '') : text);
  if (options.lines) {
    const all = text.split(/\r?\n/).filter((l) => l.length > 0);
    if (all.length < 2) throw new Error(`text dataset "${info.name}" needs at least 2 lines, got ${all.length}`);
    const nTest = Math.min(all.length - 1, Math.max(1, Math.round(all.length * testFraction)));
    const order = Array.from(permutation(all.length, SPLIT_SEED), (i) => all[i]);
    return {
      kind: 'text',
      info,
      tokenizer,
      lines: true,
      train: lineSplit(order.slice(0, all.length - nTest).map((l) => tokenizer.encode(l)), tokenizer.endToken),
      test: lineSplit(order.slice(all.length - nTest).map((l) => tokenizer.encode(l)), tokenizer.endToken),
    };
  }
  const tokens = tokenizer.encode(text);
  if (tokens.length < 4) throw new Error(`text dataset "${info.name}" needs at least 4 characters, got ${tokens.length}`);
  const cut = tokens.length - Math.max(2, Math.round(tokens.length * testFraction));
  return {
    kind: 'text',
    info,
    tokenizer,
    lines: false,
    train: { tokens: tokens.subarray(0, cut), count: cut },
    test: { tokens: tokens.subarray(cut), count: tokens.length - cut },
  };
}

/** A built-in text dataset ('names', 'names-us', 'names-us-rows', 'moby-dick') from the assets; cached per name. */
export function loadTextDataset(name: string, reader: AssetReader): Promise<TextDataset> {
  return cachedLoad(reader, `text:${name}`, async () => {
    const info = DATASETS[name];
    if (!info || info.kind !== 'text') {
      const texts = Object.values(DATASETS).filter((d) => d.kind === 'text').map((d) => d.name);
      throw new Error(`unknown text dataset "${name}": expected one of ${texts.join(', ')}`);
    }
    const manifest = await readManifest(reader);
    const asset = manifest.texts[name];
    if (!asset) throw new Error(`the assets have no text "${name}": run \`npm run assets\``);
    const text = new TextDecoder().decode(await readChecked(reader, manifest, asset.file));
    return buildTextDataset(info, text, { lines: asset.lines !== undefined });
  });
}
