// The page asks the worker for a language model's characters: for an uploaded corpus they are the
// upload's, found by its name, not a built-in corpus called "upload".
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import { datasetFromText } from '../../runtime/data/uploads';
import { Trainer } from '../../runtime/train/trainer';
import { vocabularyOf } from '../../runtime/worker/inspect';
import { doc, e, n } from '../compiler/docs';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('vocabulary of an uploaded text', () => {
  it('comes from the upload the textDataset node names', async () => {
    const ds = datasetFromText(Array.from({ length: 40 }, (_, i) => ['xy', 'zq'][i % 2]).join('\n'), { lines: true });
    const trainer = new Trainer({ reader: nodeAssets });
    trainer.userData.set('mine.txt', ds);
    const r = await trainer.load(
      doc(
        [
          n('text', 'textDataset', { corpus: 'upload', uploadName: 'mine.txt', uploadVocabSize: ds.tokenizer.vocabSize, contextLength: 4 }),
          n('emb', 'tokenEmbedding', { dim: 8 }),
          n('head', 'lmHead', {}),
          n('loss', 'crossEntropy', {}),
        ],
        [e('text.tokens', 'emb.tokens'), e('emb.out', 'head.in'), e('head.logits', 'loss.logits'), e('text.targets', 'loss.target')],
      ),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const vocab = await vocabularyOf(trainer, nodeAssets);
    expect(vocab?.lines).toBe(true);
    expect([...(vocab?.chars ?? [])].filter((c) => c.length === 1).sort().join('')).toContain('qxyz');
    trainer.dispose();
  });
});
