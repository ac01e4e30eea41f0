import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../nodes/datasets';
import { resolveVocabSizes } from '../../nodes/transformer/vocab';
import { compile } from '../../runtime/compiler/compile';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph } from '../../runtime/graph/load';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The document with every vocabSize 0 replaced by the size the vocabulary rule resolves. */
function withVocab(doc: GraphDocument): GraphDocument {
  const { sizes, problems } = resolveVocabSizes(doc);
  expect(problems).toEqual([]);
  return { ...doc, nodes: doc.nodes.map((n) => (n.id in sizes ? { ...n, params: { ...n.params, vocabSize: sizes[n.id] } } : n)) };
}

// makemore's transformer on the US names has four blocks where the others have two.
const EXAMPLES = [
  ['gpt-names.json', 'names', 16, 150_000],
  ['gpt-names-32k.json', 'names-us-rows', 16, 250_000],
  ['gpt-moby-dick.json', 'moby-dick', 64, 150_000],
] as const;

for (const [file, corpus, T, maxParams] of EXAMPLES) {
  describe(`examples/${file}`, () => {
    it('loads, compiles into one model of the right shape, and stays small', () => {
      const { doc, diagnostics } = parseGraph(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(doc!.description!.length).toBeGreaterThan(200);
      // No two nodes share a position (the layout itself is checked in the browser, where sizes are known).
      expect(new Set(doc!.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc!.nodes.length);

      const { compiled, diagnostics: d2 } = compile(withVocab(doc!));
      expect(d2.filter((d) => d.severity === 'error')).toEqual([]);
      const vocab = DATASETS[corpus].vocabSize!;
      expect(compiled!.analysis.shapes.head.logits).toEqual([null, T, vocab]);
      expect(compiled!.networks).toHaveLength(1);
      const model = compiled!.networks[0].model;
      expect(model.countParams()).toBeLessThan(maxParams);
      const logits = tf.tidy(() => (model.predict(tf.zeros([2, T], 'int32')) as tf.Tensor).shape);
      expect(logits).toEqual([2, T, vocab]);
      compiled!.dispose();
    });
  });
}
