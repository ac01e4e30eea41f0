// Transfer into another graph: a GPT trained on names moves into a GPT on Moby-Dick (another
// vocabulary), keeping the vectors of the characters both share exactly; a checkpoint of an unrelated
// graph loads nothing and the report names every node it could not place.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import type { GraphDocument } from '../../runtime/graph/document';
import { ganDoc } from '../compiler/docs';
import { loadExample, loadTrainer, variant } from '../learning/helpers-learning';

const SETTINGS = { batchSize: 8, seed: 3, steps: 100, sampleEvery: 0, evalEvery: 0 };

function gpt(corpus: string): GraphDocument {
  return variant(loadExample('gpt-names.json'), SETTINGS, {
    text: { corpus },
    embed: { dim: 16 },
    block1: { heads: 2 },
    block2: { heads: 2 },
  });
}

/** The first weight of `node` whose shape has the vocabulary on axis 0, as rows. */
function rowsOf(trainer: Awaited<ReturnType<typeof loadTrainer>>, node: string): number[][] {
  const w = trainer.compiled!.networks.flatMap((n) => n.model.weights).find((x) => x.originalName.startsWith(`${node}/`) || x.originalName.startsWith(`${node}__`))!;
  return w.read().arraySync() as number[][];
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('transfer between graphs', () => {
  it('carries a language model across vocabularies by character', async () => {
    const names = await loadTrainer(gpt('names'));
    await names.step(3);
    const bundle = await names.exportWeights();
    const source = rowsOf(names, 'embed');
    const sourceChars = bundle.tokenizer!.chars;

    const novel = await loadTrainer(gpt('moby-dick'));
    const fresh = rowsOf(novel, 'embed');
    const report = novel.transferWeights(bundle);
    expect(report.refused).toEqual([]);
    expect(report.loaded).toEqual(expect.arrayContaining(['embed', 'positions', 'block1', 'block2', 'norm', 'head']));
    const after = rowsOf(novel, 'embed');
    const targetChars = (await novel.exportWeights()).tokenizer!.chars;
    let shared = 0;
    targetChars.forEach((c, i) => {
      const j = sourceChars.indexOf(c);
      if (j >= 0) {
        shared++;
        expect(after[i + 1]).toEqual(source[j + 1]);
      } else expect(after[i + 1]).toEqual(fresh[i + 1]);
    });
    expect(after[0]).toEqual(source[0]); // the end-of-text token
    expect(shared).toBeGreaterThan(20);
    expect(shared).toBeLessThan(targetChars.length);
    // The fine-tune starts from there: a step trains without error and leaks nothing.
    await novel.step(1);
    const tensors = tf.memory().numTensors;
    await novel.step(2);
    expect(tf.memory().numTensors).toBe(tensors);
    names.dispose();
    novel.dispose();
  });

  it('loads nothing from an unrelated graph and names every node it could not place', async () => {
    const gan = await loadTrainer({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS } });
    const bundle = await gan.exportWeights();
    gan.dispose();
    const lm = await loadTrainer(gpt('names'));
    const before = lm.compiled!.networks.flatMap((n) => n.model.getWeights().map((w) => Array.from(w.dataSync())));
    const report = lm.transferWeights(bundle);
    expect(report.loaded).toEqual([]);
    const skipped = report.skipped.map((s) => s.node);
    expect(skipped).toEqual(expect.arrayContaining(['embed', 'block1', 'block2', 'head', 'g1', 'g2', 'd1', 'd2']));
    const after = lm.compiled!.networks.flatMap((n) => n.model.getWeights().map((w) => Array.from(w.dataSync())));
    expect(after).toEqual(before);
    lm.dispose();
  });

  it('refuses a head of another width, which keeps its fresh weights', async () => {
    const wide = await loadTrainer({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS } });
    const bundle = await wide.exportWeights();
    wide.dispose();
    const doc = ganDoc();
    doc.nodes.find((n) => n.id === 'g1')!.params.units = 12;
    const narrow = await loadTrainer({ ...doc, training: { ...doc.training, ...SETTINGS } });
    const report = narrow.transferWeights(bundle);
    expect(report.refused.map((r) => r.node).sort()).toEqual(['g1', 'g2']);
    expect(report.refused[0].reason).toMatch(/in the file, \[/);
    expect(report.loaded.sort()).toEqual(['d1', 'd2']);
    narrow.dispose();
  });

  it('follows an explicit node mapping: a renamed node loads, a node mapped to nothing stays fresh', async () => {
    const source = await loadTrainer({ ...ganDoc(), training: { ...ganDoc().training, ...SETTINGS } });
    const bundle = await source.exportWeights();
    const weightsOf = (t: typeof source, node: string) =>
      t.compiled!.networks.flatMap((n) => n.model.weights).filter((w) => w.originalName.startsWith(`${node}/`)).map((w) => Array.from(w.read().dataSync()));
    const g1 = weightsOf(source, 'g1');
    source.dispose();
    // The same GAN with its first generator layer renamed.
    const doc = ganDoc();
    const rename = (id: string) => (id === 'g1' ? 'gen1' : id);
    const renamed: GraphDocument = {
      ...doc,
      nodes: doc.nodes.map((n) => ({ ...n, id: rename(n.id) })),
      edges: doc.edges.map((e) => ({ ...e, source: rename(e.source), target: rename(e.target) })),
      training: { ...doc.training, ...SETTINGS },
    };

    const byId = await loadTrainer(renamed);
    const plain = byId.transferWeights(bundle);
    expect(plain.skipped).toEqual(expect.arrayContaining([{ node: 'gen1', reason: 'the file has no weights for it' }, { node: 'g1', reason: 'in the file but not in this graph' }]));
    byId.dispose();

    const mapped = await loadTrainer(renamed);
    const d1 = weightsOf(mapped, 'd1');
    const report = mapped.transferWeights(bundle, null, { gen1: 'g1', d1: '' });
    expect(report.loaded.sort()).toEqual(['d2', 'g2', 'gen1']);
    expect(report.skipped).toEqual([{ node: 'd1', reason: 'kept fresh, as the node mapping asks' }]);
    expect(report.refused).toEqual([]);
    expect(weightsOf(mapped, 'gen1')).toEqual(g1);
    expect(weightsOf(mapped, 'd1')).toEqual(d1);

    const tensors = tf.memory().numTensors;
    expect(() => mapped.transferWeights(bundle, null, { nope: 'g1' })).toThrow(/node mapping: the graph has no node "nope"/);
    expect(() => mapped.transferWeights(bundle, null, { gen1: 'gone' })).toThrow(/node mapping: the file has no weights for "gone" \(mapped to gen1\)/);
    expect(tf.memory().numTensors).toBe(tensors);
    mapped.dispose();
  });
});
