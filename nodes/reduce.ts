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
