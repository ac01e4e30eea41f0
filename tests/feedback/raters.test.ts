import { describe, expect, it } from 'vitest';
import { preferenceProbability, ratePairs, raterRule, type RuleSettings } from '../../nodes/feedback/raters';
import { resolveParams } from '../../nodes/params';
import { preferences } from '../../nodes/feedback/preference-data';

const settings: RuleSettings = { letter: 'z', digit: 3, point: [1, 0] };
const names = ['anna', 'bob', 'eve', 'ida', 'tom', 'zara', 'oscar', 'mia', 'lu', 'lu'];

describe('scripted raters', () => {
  it('at τ → 0 always prefer the higher true reward, whatever the seed, and call equal rewards a tie', () => {
    const a = ratePairs(names, { rule: 'length', tau: 0, settings, seed: 1 });
    const b = ratePairs(names, { rule: 'length', tau: 0, settings, seed: 99 });
    expect(a).toEqual(b);
    const r = raterRule('length').reward;
    for (const p of a) if (!p.tie) expect(r([p.chosen], settings, {})[0]).toBeGreaterThan(r([p.rejected], settings, {})[0]);
    expect(a[4]).toEqual({ chosen: 'lu', rejected: 'lu', tie: true, rater: 'length' });
  });

  it('at a finite τ are noisy but seeded: P(A ≻ B) = σ(Δr/τ)', () => {
    expect(preferenceProbability(1, 0, 0.5)).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    const points = Array.from({ length: 400 }, (_, i) => [Math.sin(i * 7.1) * 0.5, Math.cos(i * 3.3)]);
    const one = ratePairs(points, { rule: 'x-coordinate', tau: 1, settings, seed: 5 });
    expect(ratePairs(points, { rule: 'x-coordinate', tau: 1, settings, seed: 5 })).toEqual(one);
    expect(ratePairs(points, { rule: 'x-coordinate', tau: 1, settings, seed: 6 })).not.toEqual(one);
    // Some pairs go against the true reward, about as often as σ predicts.
    const expected = one.reduce((s, _, k) => s + (1 - preferenceProbability(Math.max(points[2 * k][0], points[2 * k + 1][0]), Math.min(points[2 * k][0], points[2 * k + 1][0]), 1)), 0);
    const wrong = one.filter((p) => (p.chosen as number[])[0] < (p.rejected as number[])[0]).length;
    expect(wrong).toBeGreaterThan(expected * 0.5);
    expect(wrong).toBeLessThan(expected * 1.6);
  });

  it('score names, points and strokes by their rules', () => {
    expect(raterRule('starts-with-vowel').reward(['anna', 'bob'], settings, {})).toEqual([1, 0]);
    expect(raterRule('ends-in-a').reward(['anna', 'bob'], settings, {})).toEqual([1, 0]);
    expect(raterRule('contains-letter').reward(['zara', 'bob'], settings, {})).toEqual([1, 0]);
    expect(raterRule('distance-to-point').reward([[1, 0], [4, 4]], settings, {})).toEqual([-0, -5]);
    expect(raterRule('stroke-thickness').reward([[1, 1, -1, -1], [1, -1, -1, -1]], settings, {}, [2, 2, 1])).toEqual([0.5, 0.25]);
    expect(() => raterRule('digit-probability').reward([[0, 0, 0, 0]], settings, {}, [2, 2, 1])).toThrow('the fixed MNIST classifier is not available here');
    expect(() => raterRule('loudness')).toThrow('no rater rule "loudness" (rules: starts-with-vowel');
  });

  it('a rule of another kind than the node compares is refused, naming the field', () => {
    const { params } = resolveParams(preferences, { kind: 'text', rater: 'x-coordinate' });
    expect(preferences.validateParams!(params as never)).toEqual([
      { field: 'rater', message: 'rule "x-coordinate" rates points, but this node compares text: pick a text rule or "you"' },
    ]);
  });
});
