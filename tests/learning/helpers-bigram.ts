// A character bigram model, the baseline a language model has to beat: P(next | current) from
// counts over a token stream with add-α smoothing, scored in nats per predicted token.

export class Bigram {
  private readonly logp: Float64Array;

  /** Fits on every consecutive pair of `tokens` (ids 0 … vocab-1). */
  constructor(
    tokens: Int32Array,
    readonly vocab: number,
    readonly alpha: number,
  ) {
    const counts = new Float64Array(vocab * vocab);
    for (let i = 0; i + 1 < tokens.length; i++) counts[tokens[i] * vocab + tokens[i + 1]]++;
    this.logp = new Float64Array(vocab * vocab);
    for (let a = 0; a < vocab; a++) {
      let row = 0;
      for (let b = 0; b < vocab; b++) row += counts[a * vocab + b];
      const denom = row + alpha * vocab;
      for (let b = 0; b < vocab; b++) this.logp[a * vocab + b] = Math.log((counts[a * vocab + b] + alpha) / denom);
    }
  }

  /** Mean −log P(targets[i] | inputs[i]) over aligned positions. */
  nll(inputs: ArrayLike<number>, targets: ArrayLike<number>): number {
    if (inputs.length !== targets.length) throw new Error(`bigram: ${inputs.length} inputs but ${targets.length} targets`);
    let s = 0;
    for (let i = 0; i < inputs.length; i++) s -= this.logp[inputs[i] * this.vocab + targets[i]];
    return s / inputs.length;
  }
}
