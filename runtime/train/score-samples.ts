// What the graph's preference loss makes of new samples: each one put in place of the `chosen` (and
// `rejected`) side of the preference pairs and scored as the loss scores a chosen sample — a reward
// model's reward, or DPO's implicit reward. The app asks about the samples it is least sure of first.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { SampleBatch } from '../../nodes/sampling';
import { encodeSequence, type PreferencePool } from '../data/preference-batches';
import { refKey } from '../compiler/partition';
import { Evaluator } from './evaluator';
import type { Trainer } from './trainer';

/** Every port a scored sample travels through is forced: a read of training data would be a bug. */
const noData: DataBatcher = {
  batch: (nodeId) => {
    throw new Error(`node "${nodeId}" asked for training data while scoring samples`);
  },
};

function samplesTensor(batch: SampleBatch, pool: PreferencePool, nodeId: string): tf.Tensor {
  if (batch.kind === 'text') {
    if (!pool.tokenizer) throw new Error(`preferences "${nodeId}": text samples need the language model's vocabulary, and none is loaded`);
    const length = pool.exampleShape[0];
    const ids = new Int32Array(batch.texts.length * length);
    batch.texts.forEach((t, i) => ids.set(encodeSequence(pool.tokenizer!, t, length, `sample ${i}`), i * length));
    return tf.tensor2d(ids, [batch.texts.length, length], 'int32');
  }
  const shape = batch.kind === 'images' ? [batch.count, batch.height, batch.width, batch.channels] : [batch.count, 2];
  const want = pool.exampleShape.join('×');
  if (shape.slice(1).join('×') !== want) throw new Error(`preferences "${nodeId}": samples of shape ${shape.slice(1).join('×')} cannot be scored, the pairs are ${want}`);
  return tf.tensor(batch.data, shape, 'float32');
}

/**
 * The score of each sample, or null when there is nothing to score with: no loss on preference pairs,
 * or a model that has not trained on any pair yet (its scores would be its initial weights' noise).
 */
export function scoreSamples(trainer: Trainer, batch: SampleBatch): Float32Array | null {
  const graph = trainer.compiled;
  if (!graph || trainer.status.step === 0) return null;
  const scorer = [...graph.checked.nodes].find(([, e]) => e.def.preferenceScores);
  const [prefId, pool] = [...trainer.preferencePools].find(([, p]) => p.set.pairs.length > 0) ?? [];
  if (!scorer || !prefId || !pool) return null;
  const [lossId, { def }] = scorer;
  const scores = tf.tidy(() => {
    const x = samplesTensor(batch, pool, prefId);
    const n = x.shape[0];
    const overrides = new Map([
      [refKey({ node: prefId, port: 'chosen' }), x],
      [refKey({ node: prefId, port: 'rejected' }), x],
      [refKey({ node: prefId, port: 'tie' }), tf.zeros([n])],
    ]);
    const ev = new Evaluator(graph, { mode: 'eval', batchSize: n, step: trainer.status.step, data: noData, salt: 0, seed: graph.doc.training.seed, overrides });
    return def.preferenceScores!(ev.context(lossId)).score.reshape([n]);
  });
  try {
    return scores.dataSync() as Float32Array;
  } finally {
    scores.dispose();
  }
}
