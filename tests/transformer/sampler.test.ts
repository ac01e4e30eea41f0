import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../runtime/data/text';
import { Rng } from '../../nodes/rng';
import { pickToken, sampleText, type LogitsFn } from '../../nodes/transformer/text-sampler';
import { buildTinyGpt } from './tiny-gpt';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tok = CharTokenizer.fromText('abcdefghij');
const V = tok.vocabSize;

describe('pickToken', () => {
  it('with top-k draws only from the k most likely tokens, and from all of them', () => {
    const logits = [0.5, 2, -1, 1.5, 0.1, 3, 0.2];
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(pickToken(logits, 2, 3, rng));
    expect([...seen].sort()).toEqual([1, 3, 5]);
  });

  it('at temperature 0 returns the argmax; without top-k can draw any token', () => {
    const logits = [0.5, 2, -1, 1.5];
    expect(pickToken(logits, 0, 0, new Rng(1))).toBe(1);
    const rng = new Rng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(pickToken(logits, 1, 0, rng));
    expect(seen.size).toBe(4);
  });

  it('follows the softmax of logits / temperature', () => {
    const logits = [0, Math.log(3)]; // p = 1/4, 3/4 at temperature 1
    const rng = new Rng(3);
    let ones = 0;
    for (let i = 0; i < 4000; i++) ones += pickToken(logits, 1, 0, rng);
    expect(ones / 4000).toBeCloseTo(0.75, 1);
  });
});

describe('sampleText', () => {
  const model = () => buildTinyGpt({ vocab: V, T: 6, dim: 8, heads: 2, blocks: 1 });

  it('is deterministic for a seed, streams every token, and leaks nothing', async () => {
    const gpt = model();
    const logitsFn: LogitsFn = (t) => gpt.predict(t) as tf.Tensor;
    const before = tf.memory().numTensors;
    const run = async (seed: number) => {
      const pieces: string[] = [];
      const r = await sampleText({
        logitsFn, tokenizer: tok, contextLength: 6, maxTokens: 20, seed, stopAtEnd: false, onToken: (s) => pieces.push(s),
      });
      expect(pieces.join('')).toBe(r.text);
      expect(r.ids).toHaveLength(20);
      expect(r.text).toBe(tok.decode(r.ids, '\n'));
      return r.text;
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(tf.memory().numTensors).toBe(before);
    gpt.dispose();
  });

  it('feeds at most the context length, right-padded, and reads the last real position', async () => {
    const shapes: number[][] = [];
    const seenWindows: number[][] = [];
    // A fake model whose logits at each position favour (that position's token + 1).
    const logitsFn: LogitsFn = (t) => {
      shapes.push(t.shape);
      const ids = Array.from(t.dataSync());
      seenWindows.push(ids);
      return tf.oneHot(tf.tensor1d(ids.map((i) => (i % (V - 1)) + 1), 'int32'), V).mul(50).expandDims(0);
    };
    const r = await sampleText({ logitsFn, tokenizer: tok, contextLength: 4, prompt: 'ab', maxTokens: 5, seed: 1, temperature: 0.5 });
    expect(r.text).toBe('cdefg');
    expect(shapes.every((s) => s[0] === 1 && s[1] === 4)).toBe(true);
    // [end, a, b] padded, then a sliding window of the last 4.
    expect(seenWindows[0]).toEqual([0, 1, 2, 0]);
    expect(seenWindows[4]).toEqual(Array.from(tok.encode('cdef')));
  });

  it('stops at the end token, which never reaches the text', async () => {
    // Favours 'a' until three tokens have been generated, then the end token.
    const logitsFn: LogitsFn = (t) => {
      const n = Array.from(t.dataSync()).filter((i) => i !== 0).length;
      return tf.oneHot(tf.fill([t.shape[1]], n >= 3 ? 0 : 1, 'int32'), V).mul(50).expandDims(0);
    };
    const r = await sampleText({ logitsFn, tokenizer: tok, contextLength: 8, maxTokens: 10, seed: 1, padToContext: false });
    expect(r).toEqual({ text: 'aaa', ids: [1, 1, 1], stoppedAtEnd: true });
  });

  it('asks for a prompt when running text has no start token', async () => {
    await expect(
      sampleText({ logitsFn: (t) => t, tokenizer: tok, contextLength: 4, maxTokens: 2, seed: 1, primeWithEnd: false }),
    ).rejects.toThrow(/prompt/);
  });
});

describe('top-p (nucleus) sampling', () => {
  it('draws only from the smallest set of likeliest tokens holding p of the mass', () => {
    // Probabilities 0.5, 0.3, 0.15, 0.05: p = 0.75 keeps the first two, p = 0.9 the first three.
    const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);
    const seen = (p: number) => {
      const rng = new Rng(5);
      const s = new Set<number>();
      for (let i = 0; i < 2000; i++) s.add(pickToken(logits, 1, 0, rng, p));
      return [...s].sort();
    };
    expect(seen(0.75)).toEqual([0, 1]);
    expect(seen(0.9)).toEqual([0, 1, 2]);
    expect(seen(1)).toEqual([0, 1, 2, 3]);
  });
});
