// Reductions the loss nodes share.
import * as tf from '@tensorflow/tfjs';

/** Sums over every axis but the batch, then averages over the batch: a figure per example. */
export function perExampleMean(x: tf.Tensor): tf.Scalar {
  if (x.rank <= 1) return tf.mean(x) as tf.Scalar;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
  return tf.mean(tf.sum(x, axes)) as tf.Scalar;
}

/** Softmax cross-entropy of logits [batch, …, k] against target distributions (one-hot or smoothed) of the same shape, averaged over every position. */
export function softmaxCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/**
 * Softmax cross-entropy of logits [batch, …, k] against class ids [batch, …], averaged over the
 * positions whose id is ≥ 0: a negative id marks padding (a line shorter than the context), which
 * counts for nothing, as PyTorch's ignore_index does. `smoothing` spreads that share over all classes.
 */
export function idCrossEntropy(logits: tf.Tensor, ids: tf.Tensor, smoothing = 0): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const id = tf.cast(ids, 'int32');
  const valid = tf.cast(tf.greaterEqual(id, 0), 'float32'); // [batch, …]
  let target: tf.Tensor = tf.oneHot(tf.maximum(id, tf.scalar(0, 'int32')), classes).toFloat();
  if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / classes);
  const perPosition = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1)); // [batch, …]
  return tf.div(tf.sum(tf.mul(perPosition, valid)), tf.maximum(tf.sum(valid), 1)) as tf.Scalar;
}
