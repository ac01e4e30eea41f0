import { describe, expect, it } from 'vitest';
import {
  pairFromChoice,
  pairsFromBest,
  parsePreferences,
  serializePreferences,
  type PreferenceSet,
} from '../../nodes/feedback/preferences';

const text: PreferenceSet = {
  format: 'genloom-preferences',
  version: 1,
  kind: 'text',
  pairs: [
    { chosen: 'anna', rejected: 'bob', rater: 'you', at: '2026-11-30T08:00:00Z' },
    { chosen: 'eve', rejected: 'ida', tie: true, rater: 'ends-in-a' },
  ],
};

const image: PreferenceSet = {
  format: 'genloom-preferences',
  version: 1,
  kind: 'image',
  shape: [2, 2, 1],
  pairs: [{ chosen: [-1, 0.5, 1, 0], rejected: [0, 0, 0, -0.25], rater: 'stroke-thickness' }],
};

describe('preference JSON', () => {
  it('round-trips text, image and point sets through serialize and parse', () => {
    const points: PreferenceSet = { format: 'genloom-preferences', version: 1, kind: 'points', pairs: [{ chosen: [1.5, -2], rejected: [0, 3], rater: 'x-coordinate' }] };
    for (const set of [text, image, points]) expect(parsePreferences(JSON.parse(serializePreferences(set)))).toEqual(set);
  });

  it.each([
    [{ ...text, pairs: [text.pairs[0], text.pairs[1], text.pairs[0], { chosen: 7, rejected: 'x', rater: 'you' }] }, 'pairs[3].chosen: expected a string for kind "text"'],
    [{ ...text, format: 'genloom.graph' }, 'format: expected "genloom-preferences"'],
    [{ ...text, version: 2 }, 'version: expected 1'],
    [{ ...text, kind: 'audio' }, 'kind: expected one of'],
    [{ ...text, extra: 1 }, 'unknown field "extra"'],
    [{ ...image, shape: [2, 2] }, 'shape: expected [height, width, channels]'],
    [{ ...image, pairs: [{ ...image.pairs[0], rejected: [0, 0, 0] }] }, 'pairs[0].rejected: expected an image of 2×2×1 = 4 numbers'],
    [{ ...image, pairs: [{ ...image.pairs[0], chosen: [0, 0, 2, 0] }] }, 'pairs[0].chosen[2]: expected a pixel in [-1, 1], got 2'],
    [{ ...text, pairs: [{ ...text.pairs[0], rater: '' }] }, 'pairs[0].rater: expected a non-empty name'],
    [{ ...text, pairs: [{ ...text.pairs[0], at: 'yesterday' }] }, 'pairs[0].at: expected an ISO 8601 date'],
    [{ ...text, pairs: [{ ...text.pairs[0], tie: 'no' }] }, 'pairs[0].tie: expected true or false'],
    [{ ...text, pairs: [{ ...text.pairs[0], score: 3 }] }, 'pairs[0]: unknown field "score"'],
    [{ ...text, shape: [1, 1, 1] }, 'shape: only kind "image" has a shape'],
    [{ format: 'genloom-preferences', version: 1, kind: 'points', pairs: [{ chosen: [1, Number.NaN], rejected: [0, 0], rater: 'you' }] }, 'pairs[0].chosen[1]: expected a finite number'],
  ])('refuses a malformed set with an error naming the field (%#)', (bad, message) => {
    expect(() => parsePreferences(bad)).toThrow(message);
  });

  it('does not serialize a set that would not parse back', () => {
    expect(() => serializePreferences({ ...text, kind: 'points' })).toThrow('pairs[0].chosen: expected a point [x, y] for kind "points"');
  });
});

describe('choices become pairs', () => {
  it('best of four implies the best over each of the other three', () => {
    const pairs = pairsFromBest(['a', 'b', 'c', 'd'], 2, 'you');
    expect(pairs.map((p) => [p.chosen, p.rejected])).toEqual([['c', 'a'], ['c', 'b'], ['c', 'd']]);
    expect(() => pairsFromBest(['a', 'b'], 2, 'you')).toThrow('bestIndex must be an integer in 0..1, got 2');
  });

  it('A versus B puts the winner first and marks a tie', () => {
    expect(pairFromChoice('a', 'b', 'b', 'you')).toEqual({ chosen: 'b', rejected: 'a', rater: 'you' });
    expect(pairFromChoice('a', 'b', 'tie', 'you')).toEqual({ chosen: 'a', rejected: 'b', rater: 'you', tie: true });
  });
});
