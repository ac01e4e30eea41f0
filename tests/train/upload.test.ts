// A language model trains on text the user brought: the textDataset node reads an uploaded corpus
// by name, its vocabulary comes from that text, and a missing upload is an error naming the node.
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { datasetFromText } from '../../runtime/data/uploads';
import { Trainer } from '../../runtime/train/trainer';
import { looksLikeLines } from '../../app/uploads/textUploads';
import { doc, e, n } from '../compiler/docs';

const TEXT = Array.from({ length: 60 }, (_, i) => ['ada', 'bob', 'cyd', 'dot'][i % 4]).join('\n');

function gpt(vocab: number) {
  return doc(
    [
      n('text', 'textDataset', { corpus: 'upload', uploadName: 'mine.txt', uploadVocabSize: vocab, contextLength: 8 }),
      n('emb', 'tokenEmbedding', { dim: 16 }),
      n('block', 'transformerBlock', { heads: 2 }),
      n('head', 'lmHead', {}),
      n('loss', 'crossEntropy', {}),
    ],
    [e('text.tokens', 'emb.tokens'), e('emb.out', 'block.in'), e('block.out', 'head.in'), e('head.logits', 'loss.logits'), e('text.targets', 'loss.target')],
    { batchSize: 8, learningRate: 3e-3 },
  );
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('uploaded text', () => {
  it('reads short lines as a list of examples and prose as running text', () => {
    expect(looksLikeLines(TEXT)).toBe(true);
    expect(looksLikeLines('Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail about.')).toBe(false);
  });

  it('trains a language model on it and samples only its characters', async () => {
    const ds = datasetFromText(TEXT, { lines: true });
    const trainer = new Trainer({ reader: nodeAssets });
    trainer.userData.set('mine.txt', ds);
    const r = await trainer.load(gpt(ds.tokenizer.vocabSize));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const first = (await trainer.step(1))['loss.loss'];
    const later = (await trainer.step(60))['loss.loss'];
    expect(later).toBeLessThan(first);
    const { batch } = await trainer.sample({ count: 3, seed: 2, maxTokens: 6 });
    expect(batch.kind).toBe('text');
    const chars = batch.kind === 'text' ? batch.texts.join('') : '';
    expect([...chars].every((c) => 'abcdoty'.includes(c))).toBe(true);
    trainer.dispose();
  });

  it('names the node when the upload is not loaded', async () => {
    const trainer = new Trainer({ reader: nodeAssets });
    const r = await trainer.load(gpt(8));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/textDataset "text".*mine\.txt/);
    trainer.dispose();
  });
});
