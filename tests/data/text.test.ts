import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { CharTokenizer, loadTextDataset, withHeldOutLines, type TextSplit } from '../../runtime/data/text';
import { datasetFromImages, datasetFromText } from '../../runtime/data/uploads';
import { compile } from '../../runtime/compiler/compile';
import { prepareData } from '../../runtime/train/data-source';
import { loadExample, variant } from '../learning/helpers-learning';

function lines(split: TextSplit, tok: CharTokenizer): string[] {
  return tok.decode(split.tokens, '\n').split('\n').filter((l) => l.length > 0);
}

describe('CharTokenizer', () => {
  const tok = CharTokenizer.fromText('hello world');

  it('round-trips text and survives JSON', () => {
    expect(tok.vocabSize).toBe(new Set('hello world').size + 1);
    const ids = tok.encode('world hello');
    expect(ids).not.toContain(tok.endToken);
    expect(tok.decode(ids)).toBe('world hello');
    const back = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
    expect(back.encode('lower')).toEqual(tok.encode('lower'));
    expect(back.decode([tok.endToken, ...tok.encode('old')], '|')).toBe('|old');
  });

  it('names every unknown character and shows the vocabulary', () => {
    expect(() => tok.encode('héllo wörld é')).toThrow('unknown characters "é", "ö": the vocabulary has 8 characters " dehlorw" and an end-of-text token');
  });

  it('rejects ids outside the vocabulary and malformed JSON', () => {
    expect(() => tok.decode([99])).toThrow(/outside the vocabulary/);
    expect(() => CharTokenizer.fromJSON({ chars: ['a'] })).toThrow(/not a character vocabulary/);
  });
});

describe('text datasets', () => {
  it('split names by name, train and test disjoint, all lower-case', async () => {
    const ds = await loadTextDataset('names', nodeAssets);
    const train = lines(ds.train, ds.tokenizer);
    const test = lines(ds.test, ds.tokenizer);
    expect(train.length).toBe(ds.train.count);
    expect(test.length).toBe(ds.test.count);
    expect(test.length / (train.length + test.length)).toBeCloseTo(0.1, 2);
    const trainSet = new Set(train);
    expect(test.filter((n) => trainSet.has(n))).toEqual([]);
    expect(train.every((n) => n === n.toLowerCase())).toBe(true);
    expect(trainSet.has('mary') || test.includes('mary')).toBe(true);
    // Stored in a shuffled order, not alphabetically.
    expect([...train].sort()).not.toEqual(train);
  });

  it('split the novel by position: training text then the held-out ending', async () => {
    const ds = await loadTextDataset('moby-dick', nodeAssets);
    const head = ds.tokenizer.decode(ds.train.tokens.subarray(0, 2000));
    expect(head).toContain('CHAPTER 1. Loomings.');
    expect(ds.tokenizer.decode(ds.train.tokens.subarray(0, 40_000))).toContain('Call me Ishmael.');
    const tail = ds.tokenizer.decode(ds.test.tokens);
    expect(tail).toMatch(/another orphan\.\n$/);
    expect(tail).not.toContain('Call me Ishmael.');
  });
});

describe('a chosen number of held-out lines', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("holds out the last N names of the corpus's one seeded order, disjoint from training", async () => {
    const ds = await loadTextDataset('names-us', nodeAssets);
    const tok = ds.tokenizer;
    const order = [...lines(ds.train, tok), ...lines(ds.test, tok)];
    const held = withHeldOutLines(ds, 1000);
    const train = lines(held.train, tok);
    const test = lines(held.test, tok);
    expect([held.train.count, held.test.count]).toEqual([order.length - 1000, 1000]);
    expect([train.length, test.length]).toEqual([held.train.count, held.test.count]);
    expect([...train, ...test]).toEqual(order);
    // A smaller hold-out keeps some of the tenth's names held out, and gives the rest to training.
    const tenth = new Set(lines(ds.test, tok));
    expect(test.every((n) => tenth.has(n))).toBe(true);
    const trainSet = new Set(train);
    expect(test.filter((n) => trainSet.has(n))).toEqual([]);
    // The loaded corpus itself is not changed.
    expect(ds.test.count).toBe(tenth.size);
  });

  it('reads each held-out name from its end token to the next, as the batcher does', async () => {
    const held = withHeldOutLines(await loadTextDataset('names', nodeAssets), 3);
    const { tokens, starts } = held.test;
    expect(Array.from(starts!, (s) => tokens[s])).toEqual([0, 0, 0]);
    expect(tokens[tokens.length - 1]).toBe(0);
    expect(tokens.filter((t) => t === 0).length).toBe(4);
  });

  it("reach training from the node's heldOutLines: the held-out batches draw only those names", async () => {
    const { compiled, diagnostics } = compile(variant(loadExample('gpt-names-32k.json'), {}, { text: { corpus: 'names-us', heldOutLines: 500 } }));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    try {
      const ds = await loadTextDataset('names-us', nodeAssets);
      const held = new Set(lines(withHeldOutLines(ds, 500).test, ds.tokenizer));
      const { batcher } = await prepareData(compiled!, nodeAssets, 3);
      const tokens = tf.tidy(() => batcher.batch('text', 256, 'test').tokens.arraySync() as number[][]);
      const drawn = tokens.map((row) => ds.tokenizer.decode(row.slice(1), '\n').split('\n')[0]);
      expect(drawn.filter((n) => !held.has(n))).toEqual([]);
      expect(new Set(drawn).size).toBeGreaterThan(100);
    } finally {
      compiled?.dispose();
    }
  });

  it('refuses a running text and a count that leaves no training line, naming the field', async () => {
    const novel = await loadTextDataset('moby-dick', nodeAssets);
    expect(() => withHeldOutLines(novel, 1000)).toThrow(/heldOutLines .* "moby-dick" is one running text/);
    const few = datasetFromText('anna\nbob\ncarl\n', { lines: true });
    expect(() => withHeldOutLines(few, 3)).toThrow('heldOutLines must be a whole number from 1 to 2 (the corpus has 3 lines, and one must stay for training), got 3');
    expect(withHeldOutLines(few, 2).train.count).toBe(1);
  });
});

describe('uploads', () => {
  it('turn pixels into a dataset with a disjoint held-out split', () => {
    const count = 30;
    const pixels = new Uint8Array(count * 4 * 4 * 3);
    for (let i = 0; i < count; i++) pixels.fill(i * 8, i * 48, (i + 1) * 48);
    const labels = Array.from({ length: count }, (_, i) => i % 3);
    const ds = datasetFromImages(pixels, count, 4, 4, 3, labels);
    expect(ds.info.classes).toBe(3);
    expect(ds.exampleShape).toEqual([4, 4, 3]);
    expect(ds.train.count + ds.test.count).toBe(count);
    expect(ds.test.count).toBe(3);
    const firstValues = (x: Float32Array, n: number) => Array.from({ length: n }, (_, i) => x[i * 48]);
    const train = firstValues(ds.train.x, ds.train.count);
    const test = firstValues(ds.test.x, ds.test.count);
    expect(test.filter((v) => train.includes(v))).toEqual([]);
    // Each image kept its own label: image i has value i*8 and label i % 3.
    test.forEach((v, k) => expect(ds.test.labels![k]).toBe(Math.round(((v + 1) * 127.5) / 8) % 3));
    expect(Math.min(...train, ...test)).toBe(-1);
  });

  it('explain a pixel count that does not match the shape', () => {
    expect(() => datasetFromImages(new Uint8Array(10), 2, 2, 2, 1)).toThrow(/expected 2×2×2×1 = 8 values, got 10/);
    expect(() => datasetFromImages(new Float32Array(8).fill(2), 2, 2, 2, 1)).toThrow(/\[0, 1\]/);
  });

  it('turn text into a tokenized dataset in lines or running mode', () => {
    const lined = datasetFromText('anna\nbob\ncarl\ndora\neve\nfay\ngus\nhal\nida\njon\n', { lines: true });
    expect(lined.train.count + lined.test.count).toBe(10);
    expect(lined.info.vocabSize).toBe(lined.tokenizer.vocabSize);
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(5);
    const running = datasetFromText(text);
    expect(running.train.count + running.test.count).toBe(220);
    // The last tenth is held out: 22 characters.
    expect(running.tokenizer.decode(running.test.tokens)).toBe('mps over the lazy dog ');
    expect(running.tokenizer.decode(running.train.tokens) + running.tokenizer.decode(running.test.tokens)).toBe(text);
  });
});
