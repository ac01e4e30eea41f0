// Which node takes the pairs rated in the app: found through the definitions' upload spec, only while
// its rater is you, with the kind, image shape and round sizes the node declares.
import { describe, expect, it } from 'vitest';
import { defaultPairsName, feedbackTarget } from '../../app/feedback/target';
import { doc, n } from '../compiler/docs';

describe('the feedback target of a graph', () => {
  it('is the preferences node rated by you, with its set name and kind', () => {
    const g = doc([n('z', 'noise'), n('prefs', 'preferences', { kind: 'points', rater: 'you', pairsName: 'mine', rewardSteps: 40, tuneSteps: 7 })], []);
    expect(feedbackTarget(g)).toEqual({ nodeId: 'prefs', name: 'mine', nameParam: 'pairsName', kind: 'points', rewardSteps: 40, tuneSteps: 7 });
  });

  it('carries the image shape for image pairs, and the node’s defaults where params are unset', () => {
    const g = doc([n('p', 'preferences', { kind: 'image', imageShape: [8, 8, 1] })], []);
    const t = feedbackTarget(g)!;
    expect(t.shape).toEqual([8, 8, 1]);
    expect(t.name).toBe('');
    expect(t.rewardSteps).toBeGreaterThan(0);
  });

  it('is absent when a scripted rule rates the pairs, or when there is no preferences node', () => {
    expect(feedbackTarget(doc([n('p', 'preferences', { kind: 'points', rater: 'x-coordinate' })], []))).toBeNull();
    expect(feedbackTarget(doc([n('z', 'noise')], []))).toBeNull();
  });

  it('names a graph’s first set after the graph', () => {
    const g = { ...doc([], []), name: 'Ring steered' };
    expect(defaultPairsName(g)).toContain('Ring steered');
    expect(defaultPairsName({ ...g, name: '  ' })).toContain('untitled');
  });
});
