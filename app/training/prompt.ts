// Fitting a typed prompt to a character model's vocabulary: a model that only ever saw lower-case
// letters (the names corpus) gets the prompt lower-cased rather than an error for every capital.

export interface FittedPrompt {
  prompt: string;
  /** Set when the prompt was changed, to tell the user why. */
  note: string | null;
}

const hasUpper = (s: string) => s !== s.toLowerCase();

/**
 * Lower-cases `prompt` when the vocabulary has no upper-case letters and the prompt has some.
 * Other unknown characters are left in, so the model's own error names them.
 */
export function fitPrompt(prompt: string, vocab: readonly string[] | null): FittedPrompt {
  if (!vocab || !hasUpper(prompt) || vocab.some(hasUpper)) return { prompt, note: null };
  const lower = prompt.toLowerCase();
  return { prompt: lower, note: `Lower-cased to “${lower}”: the model knows no capitals.` };
}
