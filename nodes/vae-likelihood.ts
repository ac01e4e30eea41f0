// A VAE's held-out likelihood, measured honestly: the evidence lower bound (−ELBO, nats per example)
// and the importance-weighted bound of Burda, Grosse & Salakhutdinov (2016),
//   log p(x) ≥ L_k = E[log (1/k) Σᵢ p(x, zᵢ) / q(zᵢ | x)],  zᵢ ~ q(z | x),
// which tightens as k grows (L_1 is the ELBO) and with k in the hundreds is the usual estimate of
// −log p(x). Only decoders whose loss is a likelihood (Bernoulli, Gaussian) have one.
import * as tf from '@tensorflow/tfjs';
import type { SampleEnv, SamplingPlan } from './sampling';
import { EVAL_BINARIZE_SEED } from './reconstruction';

export const IWAE_SAMPLES = 100;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log N(x; 0, I) summed over every axis but the batch. */
function sumLastAxes(x: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
  return axes.length ? tf.sum(x, axes) : x;
}

/**
 * log wᵢ = log p(x | zᵢ) + log p(zᵢ) − log q(zᵢ | x) for `k` draws per example: [k, n]. `decode`
 * maps a latent batch to the decoder's output; `logLik` scores it against x.
 */
export function logImportanceWeights(
  mean: tf.Tensor,
  logvar: tf.Tensor,
  k: number,
  seed: number,
  logLik: (z: tf.Tensor) => tf.Tensor,
): tf.Tensor2D {
  const rows: tf.Tensor[] = [];
  for (let i = 0; i < k; i++) {
    rows.push(
      tf.tidy(() => {
        const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed + i);
        const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
        const logPz = sumLastAxes(tf.sub(tf.mul(-0.5, tf.square(z)), HALF_LOG_2PI));
        // q(z | x) at z = mean + σ·ε: the standardised value is ε itself.
        const logQz = sumLastAxes(tf.sub(tf.sub(tf.mul(-0.5, tf.square(eps)), HALF_LOG_2PI), tf.mul(0.5, logvar)));
        return tf.add(logLik(z), tf.sub(logPz, logQz)); // (n,)
      }),
    );
  }
  const w = tf.stack(rows) as tf.Tensor2D; // (k, n)
  tf.dispose(rows);
  return w;
}

/** From log weights [k, n]: the mean −ELBO and the mean −L_k, in nats per example. */
export function boundsFromWeights(logW: tf.Tensor2D): { negElbo: number; negIwae: number } {
  const [k] = logW.shape;
  const [elbo, iwae] = tf.tidy(() => [tf.mean(logW), tf.mean(tf.sub(tf.logSumExp(logW, 0), Math.log(k)))]);
  const out = { negElbo: -elbo.dataSync()[0], negIwae: -iwae.dataSync()[0] };
  tf.dispose([elbo, iwae]);
  return out;
}

/** Examples measured at once: the importance-weighted bound makes k decoder passes over each chunk. */
const CHUNK = 1000;

/** Runs of consecutive test examples a fixed selection is made of. */
const SPREAD_RUNS = 10;

/**
 * Where a fixed selection of `total` of a test split's `all` examples lies, as [first, count] runs:
 * the whole split, or runs spread evenly over it. A test split may be ordered (MNIST's first 5,000
 * digits are the cleaner half), so its first examples would not stand for the rest.
 */
export function heldOutRanges(all: number, total: number): [number, number][] {
  if (total >= all) return [[0, all]];
  const runs = Math.min(SPREAD_RUNS, total);
  if (total + runs > all) return [[0, total]];
  return Array.from({ length: runs }, (_, r): [number, number] => [
    Math.floor((r * all) / runs),
    Math.floor(((r + 1) * total) / runs) - Math.floor((r * total) / runs),
  ]);
}

/** The runs cut into chunks of at most `size` examples, each chunk a list of [first, count] pieces. */
export function chunksOf(ranges: [number, number][], size: number): [number, number][][] {
  const chunks: [number, number][][] = [];
  let chunk: [number, number][] = [];
  let filled = 0;
  for (const [first, count] of ranges) {
    for (let done = 0; done < count; ) {
      const n = Math.min(count - done, size - filled);
      chunk.push([first + done, n]);
      done += n;
      filled += n;
      if (filled === size) {
        chunks.push(chunk);
        chunk = [];
        filled = 0;
      }
    }
  }
  if (filled > 0) chunks.push(chunk);
  return chunks;
}

/**
 * −ELBO and the importance-weighted bound on held-out examples, with how many were measured; {} when
 * the decoder is no likelihood. When `count` covers the whole test split and it can be read in order,
 * each of its examples is measured exactly once (the literature's figure); `fixed` takes the same
 * `count` every time, spread over the split (heldOutRanges); otherwise `count` examples are drawn from
 * the held-out stream.
 */
export function likelihoodBounds(env: SampleEnv, plan: SamplingPlan, opts: { count: number; seed: number; k: number; fixed?: boolean }): Record<string, number> {
  const all = env.heldOutCount(plan.refs.data);
  const whole = all !== null && (opts.count >= all || opts.fixed === true);
  const total = whole ? Math.min(all, opts.count) : opts.count;
  let negElbo = 0;
  let negIwae = 0;
  const chunks = whole ? chunksOf(heldOutRanges(all, total), CHUNK) : null;
  for (let start = 0; start < total; start += CHUNK) {
    const n = Math.min(CHUNK, total - start);
    const seed = opts.seed + start;
    const x = chunks ? readPieces(env, plan.refs.data, chunks[start / CHUNK]) : env.evaluate(plan.refs.data, { batchSize: n, seed });
    const part = chunkBounds(env, plan, x, seed, opts.k);
    x.dispose();
    if (!part) return {};
    negElbo += part.negElbo * n;
    negIwae += part.negIwae * n;
  }
  return { heldOutNegElbo: negElbo / total, [`heldOutNegIwae${opts.k}`]: negIwae / total, heldOutExamples: total };
}

/** The test examples of `pieces`, in one batch. */
function readPieces(env: SampleEnv, data: SamplingPlan['refs']['data'], pieces: [number, number][]): tf.Tensor {
  const parts = pieces.map(([first, n]) => env.heldOut(data, first, n));
  if (parts.length === 1) return parts[0];
  const x = tf.concat(parts);
  tf.dispose(parts);
  return x;
}

/** The bounds on the held-out batch `x`, or null when the decoder's loss is no likelihood. */
function chunkBounds(env: SampleEnv, plan: SamplingPlan, x: tf.Tensor, seed: number, k: number): { negElbo: number; negIwae: number } | null {
  const { refs } = plan;
  const n = x.shape[0];
  const over = (extra: [typeof refs.latent, tf.Tensor][] = []) => ({ batchSize: n, seed, overrides: [[refs.data, x] as [typeof refs.data, tf.Tensor], ...extra] });
  const mean = env.evaluate(refs.mean, over());
  const logvar = env.evaluate(refs.logvar, over());
  let unsupported = false;
  const logW = logImportanceWeights(mean, logvar, k, seed, (z) => {
    // A decoder whose loss is no likelihood says so at the first draw: no more decoder passes.
    if (unsupported) return tf.zeros([n]);
    const pred = env.evaluate(refs.target, over([[refs.latent, z]]));
    const ll = env.logLikelihood(refs.decoded.node, pred, x, EVAL_BINARIZE_SEED);
    if (!ll) unsupported = true;
    return ll ?? tf.zeros([n]);
  });
  tf.dispose([mean, logvar]);
  if (unsupported) {
    logW.dispose();
    return null;
  }
  const bounds = boundsFromWeights(logW);
  logW.dispose();
  return bounds;
}
