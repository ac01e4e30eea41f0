// Prompts fitted to a character vocabulary before sampling.
import { describe, expect, it } from 'vitest';
import { fitPrompt } from '../../app/training/prompt';

const names = [...'-abcdefghijklmnopqrstuvwxyz'];
const novel = [...' !,.?ACTabcehlmrt'];

describe('fitPrompt', () => {
  it('lower-cases capitals for a vocabulary without upper-case letters, and says so', () => {
    const fitted = fitPrompt('Mary-Ann', names);
    expect(fitted.prompt).toBe('mary-ann');
    expect(fitted.note).toContain('mary-ann');
  });

  it('keeps capitals when the vocabulary has them', () => {
    expect(fitPrompt('Call me', novel)).toEqual({ prompt: 'Call me', note: null });
  });

  it('leaves a lower-case prompt and truly unknown characters alone, for the model to refuse', () => {
    expect(fitPrompt('ma', names)).toEqual({ prompt: 'ma', note: null });
    expect(fitPrompt('zoë 7', names)).toEqual({ prompt: 'zoë 7', note: null });
    expect(fitPrompt('Zoë', names).prompt).toBe('zoë');
  });

  it('changes nothing before the vocabulary is known', () => {
    expect(fitPrompt('Ma', null)).toEqual({ prompt: 'Ma', note: null });
  });
});
