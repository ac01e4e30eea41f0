// Drawing names as token ids inside a training step (on-policy objectives such as REINFORCE): the
// whole batch decoded together, one position at a time, synchronously. Each row is laid out as a
// preferences node lays out text: [end] c1 … cn [end], padded with −1 to the context plus one.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { SampleEnv, SamplingPlan } from '../sampling';
import { pickToken } from './text-sampler';

/** The padding after a row's end token, as the preferences node's text tensors carry it. */
const PAD = -1;

/** `count` sequences [count, T + 1] int32, sampled at temperature 1 with the row's own seed stream. */
export function drawTextIds(env: SampleEnv, plan: SamplingPlan, count: number, seed: number): tf.Tensor2D {
  const info = env.dataOf(plan.node);
  if (!info?.tokenizer) throw new Error('this language model has no tokenizer: its text dataset did not load');
  if (info.lines === false) throw new Error('drawing text inside a training step needs a corpus of lines (names): running text has no end token');
  const end = info.tokenizer.endToken;
  const T = plan.settings.contextLength;
  const rows = new Int32Array(count * (T + 1)).fill(PAD);
  // The model's input: each row's tokens so far, padded with the end token (exact for a causal model).
  const input = new Int32Array(count * T).fill(end);
  const open = new Array<boolean>(count).fill(true);
  for (let i = 0; i < count; i++) rows[i * (T + 1)] = end;
  const rng = new Rng(seed);
  for (let t = 0; t < T && open.includes(true); t++) {
    const last = tf.tidy(() => {
      const logits = env.evaluate(plan.refs.logits, {
        batchSize: count, seed, salt: 13, overrides: [[plan.refs.tokens, tf.tensor2d(input, [count, T], 'int32')]],
      }); // (count, T, V)
      const V = logits.shape[2]!;
      return tf.reshape(tf.slice(logits, [0, t, 0], [count, 1, V]), [count, V]);
    });
    const V = last.shape[1]!;
    const data = last.dataSync();
    last.dispose();
    for (let i = 0; i < count; i++) {
      if (!open[i]) continue;
      const id = pickToken(data.subarray(i * V, (i + 1) * V), 1, 0, rng);
      rows[i * (T + 1) + t + 1] = id;
      if (id === end) open[i] = false;
      else if (t + 1 < T) input[i * T + t + 1] = id;
    }
  }
  return tf.tensor2d(rows, [count, T + 1], 'int32');
}
