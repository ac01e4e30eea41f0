import { describe, expect, it } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { CharTokenizer, loadTextDataset, type TextSplit } from '../../runtime/data/text';
import { datasetFromImages, datasetFromText } from '../../runtime/data/uploads';

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
