import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../nodes/datasets';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import { resolveVocabSizes } from '../../nodes/transformer/vocab';
import type { RunContext } from '../../nodes/types';
import { checkLayerNode } from './harness';
import { idCrossEntropy } from '../../nodes/reduce';
import { compile } from '../../runtime/compiler/compile';
import { loadExample } from '../learning/helpers-learning';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const def = (type: string) => {
  const d = getNodeDef(type);
  if (!d) throw new Error(`${type} is not registered`);
  return d;
};

describe('textDataset', () => {
  it('gives [batch, T] tokens and targets for each built-in corpus', () => {
    const text = def('textDataset');
    for (const corpus of ['names', 'moby-dick']) {
      const { params, problems } = resolveParams(text, { corpus, contextLength: 32 });
      expect(problems).toEqual([]);
      expect(text.inferShapes({}, params)).toEqual({ tokens: [null, 32], targets: [null, 32] });
    }
  });

  it('rejects a context beyond the maximum and an upload with no vocabulary recorded', () => {
    const text = def('textDataset');
    expect(resolveParams(text, { contextLength: 1000 }).problems[0].field).toBe('contextLength');
    expect(resolveParams(text, { corpus: 'upload' }).problems[0].field).toBe('uploadVocabSize');
    expect(resolveParams(text, { corpus: 'upload', uploadVocabSize: 40 }).problems).toEqual([]);
  });

  it('takes one line per example only from a corpus of lines, naming the field', () => {
    const text = def('textDataset');
    expect(resolveParams(text, { corpus: 'names-us', examples: 'lines' }).problems).toEqual([]);
    const refused = resolveParams(text, { corpus: 'moby-dick', examples: 'lines' }).problems;
    expect(refused.map((p) => p.field)).toEqual(['examples']);
    expect(refused[0].message).toMatch(/"moby-dick" is one running text/);
    expect(text.data!(resolveParams(text, { corpus: 'names', examples: 'lines' }).params)).toMatchObject({ perLine: true });
  });

  it('holds out a chosen number of lines only from a corpus of lines, naming the field', () => {
    const text = def('textDataset');
    const ok = resolveParams(text, { corpus: 'names-us-rows', examples: 'lines', heldOutLines: 1000 });
    expect(ok.problems).toEqual([]);
    expect(text.data!(ok.params)).toMatchObject({ heldOutLines: 1000, perLine: true });
    expect(text.data!(resolveParams(text, { corpus: 'names' }).params)).not.toHaveProperty('heldOutLines');
    const refused = resolveParams(text, { corpus: 'moby-dick', heldOutLines: 1000 }).problems;
    expect(refused.map((p) => p.field)).toEqual(['heldOutLines']);
    expect(refused[0].message).toMatch(/"moby-dick" is one running text/);
    const both = resolveParams(text, { corpus: 'moby-dick', examples: 'lines', heldOutLines: 1000 }).problems;
    expect(both.map((p) => p.field)).toEqual(['examples', 'heldOutLines']);
  });

  it('runs by asking the batcher for its own node id and split', () => {
    const calls: unknown[] = [];
    const out = def('textDataset').run!({
      nodeId: 'text1', batchSize: 4, mode: 'eval',
      data: { batch: (...args: unknown[]) => (calls.push(args), {}) },
    } as unknown as RunContext);
    expect(out).toEqual({});
    expect(calls).toEqual([['text1', 4, 'test']]);
  });
});

describe('the vocabulary rule', () => {
  const graph = (embVocab: number, headVocab: number, corpus = 'names') => ({
    nodes: [
      { id: 'text', type: 'textDataset', params: { corpus, uploadVocabSize: 40 } },
      { id: 'emb', type: 'tokenEmbedding', params: { vocabSize: embVocab } },
      { id: 'block', type: 'transformerBlock', params: {} },
      { id: 'head', type: 'lmHead', params: { vocabSize: headVocab } },
      { id: 'loss', type: 'crossEntropy', params: {} },
    ],
    edges: [
      { source: 'text', target: 'emb' },
      { source: 'emb', target: 'block' },
      { source: 'block', target: 'head' },
      { source: 'head', target: 'loss' },
      { source: 'text', target: 'loss' },
    ],
  });

  it('0 takes the vocabulary of the text dataset upstream, for the embedding and the head', () => {
    const names = DATASETS.names.vocabSize!;
    expect(resolveVocabSizes(graph(0, 0))).toEqual({ sizes: { emb: names, head: names }, problems: [] });
    expect(resolveVocabSizes(graph(0, 0, 'upload')).sizes).toEqual({ emb: 40, head: 40 });
  });

  it('adds no message of its own behind a text dataset with an error: the dataset names the problem', () => {
    const doc = loadExample('gpt-names-32k.json');
    const text = doc.nodes.find((n) => n.id === 'text')!;
    text.params = { ...text.params, corpus: 'moby-dick', examples: 'lines', heldOutLines: 0 };
    const { compiled, diagnostics } = compile(doc);
    compiled?.dispose();
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.nodeId, d.field])).toEqual([['text', 'examples']]);
  });

  it('checks a set size against the dataset: smaller is an error, larger a warning', () => {
    const names = DATASETS.names.vocabSize!;
    const r = resolveVocabSizes(graph(names - 1, names + 5));
    expect(r.problems.map((p) => [p.nodeId, p.severity])).toEqual([['emb', 'error'], ['head', 'warning']]);
    expect(r.problems[0].message).toContain(String(names));
  });

  it('reports a 0 with no text dataset upstream', () => {
    const g = graph(0, 7);
    const r = resolveVocabSizes({ ...g, edges: g.edges.filter((e) => e.source !== 'text') });
    expect(r.sizes).toEqual({ head: 7 });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ nodeId: 'emb', field: 'vocabSize', severity: 'error' });
  });

  it('an unresolved 0 is a shape error naming vocabSize', () => {
    const emb = def('tokenEmbedding');
    expect(() => emb.inferShapes({ tokens: [null, 8] }, resolveParams(emb, {}).params)).toThrow(/vocabSize/);
  });
});

describe('shape errors name what was expected', () => {
  it('rejects wrong ranks and uneven heads', () => {
    const block = def('transformerBlock');
    const p = resolveParams(block, { heads: 4 }).params;
    expect(() => block.inferShapes({ in: [null, 64] }, p)).toThrow(/\[batch, T, dim\]/);
    expect(() => block.inferShapes({ in: [null, 8, 10] }, p)).toThrow(/width 10.*4 heads/);
    const emb = def('tokenEmbedding');
    expect(() => emb.inferShapes({ tokens: [null, 8, 4] }, resolveParams(emb, { vocabSize: 5 }).params)).toThrow(/\[batch, T\]/);
  });
});

describe('transformer layers through the layer harness', () => {
  it('transformerBlock with dropout, explicit head size, no mask and relu', async () => {
    await checkLayerNode(def('transformerBlock'), { heads: 3, headSize: 4, dropout: 0.1, causal: false, activation: 'relu' }, { in: [null, 5, 8] });
  });
  it('multiHeadAttention with dropout and one head', async () => {
    await checkLayerNode(def('multiHeadAttention'), { heads: 1, dropout: 0.2 }, { in: [null, 7, 4] });
  });
  it('tokenEmbedding on whole-number ids', async () => {
    const out = await checkLayerNode(def('tokenEmbedding'), { vocabSize: 28, dim: 6 }, { tokens: [null, 16] }, { intInputs: { tokens: 28 } });
    expect(out.out).toEqual([null, 16, 6]);
  });
  it('lmHead and positionalEmbedding at GPT sizes', async () => {
    expect((await checkLayerNode(def('lmHead'), { vocabSize: 28 }, { in: [null, 16, 64] })).logits).toEqual([null, 16, 28]);
    await checkLayerNode(def('positionalEmbedding'), { mode: 'learned' }, { in: [null, 16, 64] });
  });
});

describe('the cross-entropy of class ids', () => {
  it('averages over the positions that are not padding (id −1), each counted as −log softmax', () => {
    const logits = [
      [[2, 0, -1], [0.5, 0.5, 3]],
      [[1, 1, 1], [-2, 4, 0]],
    ];
    const ids = [[0, 2], [-1, 1]];
    const nll = (row: number[], k: number) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[k];
    const expected = (nll(logits[0][0], 0) + nll(logits[0][1], 2) + nll(logits[1][1], 1)) / 3;
    const got = tf.tidy(() => idCrossEntropy(tf.tensor3d(logits), tf.tensor2d(ids, [2, 2], 'int32')).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 5);
    // With no padding it is the plain mean over every position.
    const all = tf.tidy(() => idCrossEntropy(tf.tensor3d(logits), tf.tensor2d([[0, 2], [0, 1]], [2, 2], 'int32')).dataSync()[0]);
    expect(all).toBeCloseTo((nll(logits[0][0], 0) + nll(logits[0][1], 2) + nll(logits[1][0], 0) + nll(logits[1][1], 1)) / 4, 5);
  });

  it('gives no gradient to a padding position', () => {
    const logits = tf.tensor3d([[[2, 0, -1], [0.5, 0.5, 3]]]);
    const grad = tf.grad((x: tf.Tensor) => idCrossEntropy(x, tf.tensor2d([[1, -1]], [1, 2], 'int32')))(logits);
    const g = grad.arraySync() as number[][][];
    expect(g[0][1].map(Math.abs)).toEqual([0, 0, 0]);
    expect(Math.abs(g[0][0][1])).toBeGreaterThan(0.1);
    tf.dispose([logits, grad]);
  });
});
