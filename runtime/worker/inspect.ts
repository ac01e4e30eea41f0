// Looking inside a trained model for display: a language model's vocabulary and attention weights,
// and the intermediate frames of a diffusion model's reverse process. Uses the trainer's compiled
// graph with the same Evaluator pattern as sampling, so the trainer itself needs no extra methods.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import { refKey } from '../compiler/partition';
import type { AssetReader } from '../data/assets';
import { loadTextDataset, type TextDataset } from '../data/text';
import type { SampleBatch } from '../train/events';
import { Evaluator } from '../train/evaluator';
import { toBatch } from '../../nodes/sampling';
import { attentionMaps } from '../../nodes/transformer/text-sampler';
import type { Trainer } from '../train/trainer';
import { userDataset } from '../train/data-source';
import { ATTENTION_MAX_LENGTH, type AttentionView, type DenoisingFrames, type TextVocabulary } from './protocol';

/** With the token input forced, nothing downstream reads training data: any read is a bug. */
const noData: DataBatcher = {
  batch: (nodeId) => {
    throw new Error(`node "${nodeId}" asked for training data while reading attention weights`);
  },
};

function languagePlan(trainer: Trainer) {
  const graph = trainer.compiled;
  if (!graph) throw new Error('no model is loaded: train or step it first');
  const plan = graph.sampling;
  return plan?.output === 'text' ? { graph, plan } : null;
}

/** The text dataset the language model reads: one the user uploaded, else the built-in corpus. */
async function textOf(trainer: Trainer, textNode: string, reader: AssetReader): Promise<TextDataset> {
  const entry = trainer.compiled?.checked.nodes.get(textNode);
  const name = entry?.def.data?.(entry.params).name ?? '';
  const own = userDataset(trainer.userData, name);
  return own && own.kind === 'text' ? own : loadTextDataset(name, reader);
}

export async function vocabularyOf(trainer: Trainer, reader: AssetReader): Promise<TextVocabulary | null> {
  const lm = languagePlan(trainer);
  if (!lm) return null;
  const data = await textOf(trainer, lm.plan.node, reader);
  return { chars: [...data.tokenizer.chars], lines: data.lines };
}

/**
 * The attention of every layer while the model reads `text` (after the end token, for corpora of
 * lines such as names, as sampling starts). Long text keeps its last ATTENTION_MAX_LENGTH tokens.
 */
export async function attentionView(trainer: Trainer, text: string, reader: AssetReader): Promise<AttentionView> {
  const lm = languagePlan(trainer);
  if (!lm) throw new Error('attention maps need a language model (a text dataset feeding a cross-entropy loss)');
  const { graph, plan } = lm;
  const data = await textOf(trainer, plan.node, reader);
  const tok = data.tokenizer;
  const all = [...(data.lines ? [tok.endToken] : []), ...Array.from(tok.encode(text))];
  const contextLength = plan.settings.contextLength;
  const keep = Math.min(ATTENTION_MAX_LENGTH, contextLength);
  const ids = all.slice(-keep);
  if (ids.length === 0) throw new Error('attention maps need at least one character of text');
  const tokens = refKey(plan.refs.tokens);
  const step = trainer.status.step;
  let probs: Float32Array | null = null;
  let vocab = 0;
  // The same forward pass gives the attention and, at each position read, the next-token distribution.
  const forward = (x: tf.Tensor2D) => {
    const logits = new Evaluator(graph, { mode: 'sample', batchSize: 1, step, data: noData, salt: 11, seed: 1, overrides: new Map([[tokens, x]]) }).tensor(plan.refs.logits);
    vocab = logits.shape[logits.rank - 1];
    const read = tf.softmax(tf.slice(tf.reshape(logits, [-1, vocab]), [0, 0], [ids.length, vocab])); // (t, V)
    probs = Float32Array.from(read.dataSync());
    return logits;
  };
  const maps = await attentionMaps(forward, ids, { contextLength, padId: tok.endToken });
  if (maps.length === 0) throw new Error('this model has no attention layers to show');
  const label = (id: number) => (id === tok.endToken ? '⏎' : id < tok.vocabSize ? tok.decode([id]) : `#${id}`);
  return {
    tokens: ids.map(label), ids, maps, cropped: all.length - ids.length,
    next: { chars: Array.from({ length: vocab }, (_, id) => label(id)), probs: probs ?? new Float32Array() },
  };
}

/** `frames` evenly spaced states of one reverse run: the starting noise x_T, …, the sample x_0. */
export async function denoisingFrames(trainer: Trainer, count: number, seed: number, frames: number): Promise<DenoisingFrames> {
  const graph = trainer.compiled;
  const plan = graph?.sampling;
  if (!plan?.shape || !plan.features.includes('frames')) throw new Error('denoising frames need a diffusion model (an add-noise node and a noise-prediction loss)');
  const run = await trainer.sample({ count, seed, frameEvery: 1 });
  const all = run.frames ?? [];
  const steps = all.length;
  // The sampler draws x_T as randomNormal(shape, 0, 1, float32, seed): the same call gives the same noise.
  const xT = tf.randomNormal([count, ...(plan.shape.slice(1) as number[])], 0, 1, 'float32', seed);
  const noise = toBatch(xT, realOf(run.batch));
  xT.dispose();
  const picked: DenoisingFrames['frames'] = [{ done: 0, batch: noise }];
  const shown = Math.max(1, Math.min(frames - 1, steps));
  for (let k = 1; k <= shown; k++) {
    const done = Math.round((k * steps) / shown);
    picked.push({ done, batch: all[done - 1] });
  }
  return { steps, frames: picked.map((f) => ({ ...f, batch: owning(f.batch) })) };
}

function realOf(batch: SampleBatch): Float32Array | undefined {
  return batch.kind === 'points' ? batch.real : undefined;
}

/** A copy of `batch` whose arrays share no buffer with any other, so each can be transferred. */
function owning(batch: SampleBatch): SampleBatch {
  if (batch.kind === 'points') return { ...batch, data: batch.data.slice(), real: batch.real.slice() };
  if (batch.kind === 'images') return { ...batch, data: batch.data.slice() };
  return batch;
}
