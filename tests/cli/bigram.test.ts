import { describe, expect, it } from 'vitest';
import { bigramNats, fitBigram, unigramNats } from '../../runtime/data/bigram';
import { Rng } from '../../nodes/rng';

describe('bigram baseline', () => {
  it('predicts a deterministic cycle almost perfectly', () => {
    const tokens = Array.from({ length: 3000 }, (_, i) => i % 3);
    const m = fitBigram(tokens, 3);
    expect(bigramNats(m, tokens)).toBeLessThan(0.01);
    // The reverse cycle never occurs in training: far worse than guessing uniformly.
    const reversed = Array.from({ length: 300 }, (_, i) => 2 - (i % 3));
    expect(bigramNats(m, reversed)).toBeGreaterThan(Math.log(3) + 1);
  });

  it('costs log V nats on independent uniform tokens', () => {
    const rng = new Rng(3);
    const train = Array.from({ length: 200_000 }, () => rng.int(8));
    const test = Array.from({ length: 20_000 }, () => rng.int(8));
    expect(bigramNats(fitBigram(train, 8), test)).toBeCloseTo(Math.log(8), 1);
  });

  it('learns the dependence on the previous token', () => {
    // After token 0 comes 1 with probability 0.9: entropy of that row is about 0.39 nats.
    const rng = new Rng(5);
    const seq = [0];
    for (let i = 1; i < 100_000; i++) seq.push(seq[i - 1] === 0 ? (rng.next() < 0.9 ? 1 : 0) : 0);
    const m = fitBigram(seq, 2);
    expect(Math.exp(m.logProb[0 * 2 + 1])).toBeCloseTo(0.9, 2);
    expect(Math.exp(m.logProb[1 * 2 + 0])).toBeGreaterThan(0.999);
  });

  it('rejects tokens outside the vocabulary', () => {
    expect(() => fitBigram([0, 1, 5], 3)).toThrow('token 2 is 5, outside the vocabulary 0…2');
    expect(() => bigramNats(fitBigram([0, 1], 2), [0])).toThrow('at least 2 tokens');
  });
});

describe('unigram baseline', () => {
  it('equals the entropy of the token frequencies when train and test agree', () => {
    const tokens = [0, 0, 1, 2, 0, 1, 0, 2];
    const p = [4 / 8, 2 / 8, 2 / 8];
    const entropy = -p.reduce((s, q) => s + q * Math.log(q), 0);
    expect(unigramNats(tokens, tokens, 3, 1e-9)).toBeCloseTo(entropy, 6);
  });
});
