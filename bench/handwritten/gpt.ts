// examples/gpt-names.json and gpt-moby-dick.json by hand, in tf ops over plain variables: token
// and learned position embeddings of width 64, two pre-norm blocks (4 causal heads, GELU
// feed-forward ×4), a final layer norm and a vocabulary head; cross-entropy; Adam β2 0.99.
import * as tf from '@tensorflow/tfjs';
import { nodeAssets } from '../../runtime/data/assets-node';
import { Rng } from '../../nodes/rng';
import { loadTextDataset } from '../../runtime/data/text';
import type { HandBuilder } from './common';

interface GptSpec {
  corpus: string;
  T: number;
  dim: number;
  heads: number;
  blocks: number;
  lr: number;
}

export const gpt = (spec: GptSpec): HandBuilder => async ({ batchSize: B, seed }) => {
  const text = await loadTextDataset(spec.corpus, nodeAssets);
  const V = text.tokenizer.vocabSize;
  const { T, dim: C, heads: nh } = spec;
  const hs = C / nh;
  const rng = new Rng(seed);
  const glorot = (a: number, b: number) => tf.variable(tf.randomUniform([a, b], -Math.sqrt(6 / (a + b)), Math.sqrt(6 / (a + b))));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const ones = (n: number) => tf.variable(tf.ones([n]));
  const wte = tf.variable(tf.randomNormal([V, C], 0, 0.02));
  const wpe = tf.variable(tf.randomNormal([T, C], 0, 0.02));
  const blocks = Array.from({ length: spec.blocks }, () => ({
    g1: ones(C), b1: zeros(C), wQkv: glorot(C, 3 * C), bQkv: zeros(3 * C), wO: glorot(C, C), bO: zeros(C),
    g2: ones(C), b2: zeros(C), wUp: glorot(C, 4 * C), bUp: zeros(4 * C), wDown: glorot(4 * C, C), bDown: zeros(C),
  }));
  const gF = ones(C);
  const bF = zeros(C);
  const wHead = tf.variable(tf.randomNormal([C, V], 0, 0.02));
  const bHead = zeros(V);
  const vars = [wte, wpe, ...blocks.flatMap((b) => Object.values(b)), gF, bF, wHead, bHead];
  const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));

  const norm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
  };
  const gelu = (x: tf.Tensor) => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))));
  const heads = (x: tf.Tensor, perm: number[]) => tf.transpose(tf.reshape(x, [B, T, nh, hs]), perm);
  const forward = (tokens: tf.Tensor) => {
    let x = tf.add(tf.gather(wte, tokens), wpe).reshape([B * T, C]); // (B*T, C)
    for (const k of blocks) {
      const [q, kk, v] = tf.split(tf.add(tf.matMul(norm(x, k.g1, k.b1), k.wQkv), k.bQkv), 3, 1);
      const scores = tf.add(tf.mul(tf.matMul(heads(q, [0, 2, 1, 3]), heads(kk, [0, 2, 3, 1])), 1 / Math.sqrt(hs)), mask); // (B, nh, T, T)
      const y = tf.matMul(tf.softmax(scores), heads(v, [0, 2, 1, 3])); // (B, nh, T, hs)
      const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * T, C]);
      x = tf.add(x, tf.add(tf.matMul(merged, k.wO), k.bO));
      const up = gelu(tf.add(tf.matMul(norm(x, k.g2, k.b2), k.wUp), k.bUp));
      x = tf.add(x, tf.add(tf.matMul(up, k.wDown), k.bDown));
    }
    return tf.add(tf.matMul(norm(x, gF, bF), wHead), bHead); // (B*T, V)
  };
  const opt: tf.Optimizer = tf.train.adam(spec.lr, 0.9, 0.99);
  const split = text.train;
  const last = split.tokens.length - T - 1;
  const starts = split.starts ? Array.from(split.starts).filter((s) => s <= last) : null;
  return {
    step() {
      const tokens = new Int32Array(B * T);
      const targets = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        const s = starts ? starts[rng.int(starts.length)] : rng.int(last + 1);
        tokens.set(split.tokens.subarray(s, s + T), b * T);
        targets.set(split.tokens.subarray(s + 1, s + T + 1), b * T);
      }
      tf.tidy(() => {
        const x = tf.tensor2d(tokens, [B, T], 'int32');
        const y = tf.oneHot(tf.tensor1d(targets, 'int32'), V).toFloat();
        const { value, grads } = tf.variableGrads(
          () => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(forward(x))), -1))) as tf.Scalar,
          vars,
        );
        opt.applyGradients(grads);
        value.dataSync();
      });
    },
    dispose() {
      tf.dispose([...vars, mask]);
      opt.dispose();
    },
  };
};
