// A character bigram model: the baseline a language model's held-out loss should beat. It predicts
// each token from the one before, with add-α smoothing so unseen pairs keep some probability.

export interface Bigram {
  vocabSize: number;
  /** log p(next | prev), row `prev`, column `next`: vocabSize × vocabSize. */
  logProb: Float64Array;
}

/** Fits p(next | prev) to every adjacent pair of `tokens` (ids 0 … vocabSize-1). */
export function fitBigram(tokens: ArrayLike<number>, vocabSize: number, alpha = 0.5): Bigram {
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new Error(`fitBigram: expects a vocabulary size ≥ 1, got ${vocabSize}`);
  if (!(alpha > 0)) throw new Error(`fitBigram: expects a smoothing α > 0, got ${alpha}`);
  const V = vocabSize;
  const counts = new Float64Array(V * V);
  const check = (id: number, i: number) => {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`fitBigram: token ${i} is ${id}, outside the vocabulary 0…${V - 1}`);
  };
  for (let i = 0; i + 1 < tokens.length; i++) {
    check(tokens[i], i);
    check(tokens[i + 1], i + 1);
    counts[tokens[i] * V + tokens[i + 1]]++;
  }
  const logProb = new Float64Array(V * V);
  for (let a = 0; a < V; a++) {
    let row = 0;
    for (let b = 0; b < V; b++) row += counts[a * V + b];
    const denom = Math.log(row + alpha * V);
    for (let b = 0; b < V; b++) logProb[a * V + b] = Math.log(counts[a * V + b] + alpha) - denom;
  }
  return { vocabSize: V, logProb };
}

/** Mean negative log-likelihood in nats per token of each token of `tokens` after its predecessor. */
export function bigramNats(model: Bigram, tokens: ArrayLike<number>): number {
  const V = model.vocabSize;
  if (tokens.length < 2) throw new Error('bigramNats: needs at least 2 tokens');
  let sum = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i];
    const b = tokens[i + 1];
    if (!(a >= 0 && a < V && b >= 0 && b < V)) throw new Error(`bigramNats: token ${a < 0 || a >= V ? i : i + 1} is outside the vocabulary 0…${V - 1}`);
    sum -= model.logProb[a * V + b];
  }
  return sum / (tokens.length - 1);
}

/** Mean negative log-likelihood in nats per token of `test` under token frequencies of `train` (add-α smoothed). */
export function unigramNats(train: ArrayLike<number>, test: ArrayLike<number>, vocabSize: number, alpha = 0.5): number {
  if (test.length === 0) throw new Error('unigramNats: needs at least 1 test token');
  const counts = new Float64Array(vocabSize);
  for (let i = 0; i < train.length; i++) counts[train[i]]++;
  const denom = Math.log(train.length + alpha * vocabSize);
  let sum = 0;
  for (let i = 0; i < test.length; i++) sum -= Math.log(counts[test[i]] + alpha) - denom;
  return sum / test.length;
}
