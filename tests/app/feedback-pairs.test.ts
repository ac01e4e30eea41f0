// The preference dataset the Feedback view keeps: per name in storage, imported and exported as the
// preference JSON, and a malformed file refused with the parser's reason while the pairs stay as they were.
import { describe, expect, it } from 'vitest';
import { exportPairs, importPairs, loadPairs, pairsFor, savePairs, withoutPair, withPairs, type PairStorage } from '../../app/feedback/pairStore';
import { pairsFromBest, parsePreferences } from '../../nodes/feedback/preferences';

function memory(): PairStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: async (k) => structuredClone(data.get(k)), set: async (k, v) => void data.set(k, structuredClone(v)) };
}

const quartet = [[0.9, 0.1], [-0.5, 0.2], [0.1, -0.8], [-1, -1]];

describe('the preference dataset store', () => {
  it('keeps each graph’s pairs under its own name and reads them back', async () => {
    const s = memory();
    const empty = await loadPairs('ring', 'points', undefined, s);
    expect(empty.pairs).toHaveLength(0);
    const rated = withPairs(empty, pairsFromBest(quartet, 0, 'you', '2026-01-31T12:00:00Z'));
    await savePairs('ring', rated, s);
    expect((await loadPairs('ring', 'points', undefined, s)).pairs).toEqual(rated.pairs);
    expect((await loadPairs('other graph', 'points', undefined, s)).pairs).toHaveLength(0);
    expect((await pairsFor({ name: 'ring', kind: 'points' }, s)).get('ring')?.pairs).toHaveLength(3);
    // A node not yet named reads nothing.
    expect((await pairsFor({ name: '', kind: 'points' }, s)).size).toBe(0);
  });

  it('refuses a stored set of another kind than the node compares', async () => {
    const s = memory();
    await savePairs('names', withPairs(await loadPairs('names', 'text', undefined, s), [{ chosen: 'Ava', rejected: 'Bob', rater: 'you' }]), s);
    await expect(loadPairs('names', 'points', undefined, s)).rejects.toThrow(/compare text, but this graph's preferences node compares points/);
  });

  it('removes one pair and leaves the rest in order', async () => {
    const set = withPairs(await loadPairs('x', 'points', undefined, memory()), pairsFromBest(quartet, 2, 'you'));
    const left = withoutPair(set, 1);
    expect(left.pairs.map((p) => p.rejected)).toEqual([quartet[0], quartet[3]]);
  });

  it('round-trips through export and import, adding the imported pairs', async () => {
    const base = await loadPairs('x', 'points', undefined, memory());
    const rated = withPairs(base, pairsFromBest(quartet, 1, 'you'));
    const text = exportPairs(rated);
    expect(parsePreferences(JSON.parse(text))).toEqual(rated);
    const merged = importPairs(rated, text, 'mine.json');
    expect(merged.pairs).toHaveLength(6);
    expect(merged.pairs.slice(3)).toEqual(rated.pairs);
  });

  it('refuses a malformed file with the parser’s message and the file name, changing nothing', async () => {
    const current = withPairs(await loadPairs('x', 'points', undefined, memory()), pairsFromBest(quartet, 0, 'you'));
    const before = structuredClone(current);
    const noRater = JSON.stringify({ format: 'genloom-preferences', version: 1, kind: 'points', pairs: [{ chosen: [0, 0], rejected: [1, 1] }] });
    expect(() => importPairs(current, noRater, 'bad.json')).toThrow(/^bad\.json: pairs\[0\]\.rater: expected a non-empty name/);
    expect(() => importPairs(current, '{"format": "genloom-prefer', 'cut.json')).toThrow(/^cut\.json: not JSON/);
    const text = JSON.stringify({ format: 'genloom-preferences', version: 1, kind: 'text', pairs: [] });
    expect(() => importPairs(current, text, 'names.json')).toThrow(/compare text, but this graph's compare points/);
    expect(current).toEqual(before);
  });
});
