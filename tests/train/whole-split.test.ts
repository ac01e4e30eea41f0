// The final held-out figure over every held-out example once: a corpus of lines lists its lines in
// order, and chunks join into the one mean a single batch of the whole split would give.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAssets } from '../../runtime/data/assets-node';
import { loadTextDataset, withHeldOutLines } from '../../runtime/data/text';
import { compile, type CompiledGraph } from '../../runtime/compiler/compile';
import { prepareData } from '../../runtime/train/data-source';
import { makePhaseStates, trainStep, type StepContext } from '../../runtime/train/step';
import { wholeSplitLosses } from '../../runtime/train/whole-split';
import { Trainer } from '../../runtime/train/trainer';
import { loadExample, variant } from '../learning/helpers-learning';

const HELD = 37;

function compiled(params: Record<string, Record<string, unknown>>): CompiledGraph {
  const doc = variant(loadExample('gpt-names-32k.json'), { batchSize: 16 }, { embed: { dim: 16 }, ...params });
  doc.nodes = doc.nodes.filter((n) => !['block2', 'block3', 'block4'].includes(n.id));
  doc.edges = doc.edges.filter((e) => !['block2', 'block3', 'block4'].includes(e.source) && !['block2', 'block3', 'block4'].includes(e.target));
  doc.edges.push({ id: 'short', source: 'block1', sourceHandle: 'out', target: 'norm', targetHandle: 'in' });
  const { compiled: g, diagnostics } = compile(doc);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return g!;
}

describe('wholeSplitLosses', () => {
  let graph: CompiledGraph;
  let ctx: StepContext;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    graph = compiled({ text: { corpus: 'names-us', heldOutLines: HELD } });
    const { batcher } = await prepareData(graph, nodeAssets, 5);
    ctx = { graph, data: batcher, batchSize: 16, seed: 5, step: 0 };
    // Trained a little, so the first character, the later ones and the end token cost differently
    // and a chunk's mean depends on its lines' lengths.
    const states = makePhaseStates(graph);
    for (let s = 0; s < 10; s++) trainStep(states, { ...ctx, step: s });
    states.forEach((s) => s.optimizer.dispose());
  });
  afterAll(() => graph?.dispose());

  it('lists the held-out lines in order, one per example', async () => {
    const ds = await loadTextDataset('names-us', nodeAssets);
    const held = withHeldOutLines(ds, HELD).test;
    expect(ctx.data.heldOutCount!('text')).toBe(HELD);
    const rows = tf.tidy(() => ctx.data.heldOut!('text', 5, 3)!.targets.arraySync() as number[][]);
    const names = rows.map((r) => ds.tokenizer.decode(r.filter((t) => t >= 0), '\n').split('\n')[0]);
    const want = [5, 6, 7].map((k) => ds.tokenizer.decode(held.tokens.subarray(held.starts![k] + 1, held.starts![k + 1] ?? held.tokens.length), '\n').split('\n')[0]);
    expect(names).toEqual(want);
    expect(() => ctx.data.heldOut!('text', HELD - 2, 3)).toThrow(`held-out examples ${HELD - 2} to ${HELD} lie outside its ${HELD} test examples`);
  });

  it('gives the same figure in chunks of any size as in one batch of the whole split', () => {
    const before = tf.memory().numTensors;
    const one = wholeSplitLosses(ctx, HELD)!;
    expect(one.examples).toBe(HELD);
    for (const chunk of [1, 7, 16]) expect(wholeSplitLosses(ctx, chunk)!.losses['loss.loss']).toBeCloseTo(one.losses['loss.loss'], 5);
    // Each chunk counted alike (its examples, not its targets) would miss the single batch's figure.
    const plain = [0, 7, 14, 21, 28, 35].map((start) =>
      tf.tidy(() => {
        const n = Math.min(7, HELD - start);
        // The chunk as a split of its own.
        const view = { ...ctx.data, heldOutCount: () => n, heldOut: (id: string, s: number, size: number) => ctx.data.heldOut!(id, start + s, size) };
        return wholeSplitLosses({ ...ctx, data: view }, n)!.losses['loss.loss'] * n;
      }),
    );
    expect(Math.abs(plain.reduce((a, b) => a + b) / HELD - one.losses['loss.loss'])).toBeGreaterThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the live curve's figure is the split's first examples, the same at every call", async () => {
    const some = wholeSplitLosses(ctx, 16, Infinity, 20)!;
    expect([some.examples, some.whole]).toEqual([20, false]);
    const sub = { ...ctx.data, heldOutCount: () => 20 };
    expect(wholeSplitLosses({ ...ctx, data: sub }, 20)!.losses['loss.loss']).toBeCloseTo(some.losses['loss.loss'], 5);
    const doc = variant(loadExample('gpt-names-32k.json'), { batchSize: 8 }, { embed: { dim: 16 }, text: { corpus: 'names-us', heldOutLines: HELD } });
    const trainer = new Trainer({ reader: nodeAssets });
    try {
      expect((await trainer.load(doc)).ok).toBe(true);
      const a = trainer.evaluate(2);
      expect(trainer.evaluate(2)).toEqual(a);
      expect(trainer.finalEvaluation(50).wholeSplit).toBe(HELD);
    } finally {
      trainer.dispose();
    }
  });

  it('measures the base loss of a feedback graph, whose preferences node feeds only the feedback loss', async () => {
    const doc = variant(loadExample('feedback-names.json'), { batchSize: 16 }, { text: { examples: 'lines', heldOutLines: HELD }, embed: { dim: 16 } });
    const trainer = new Trainer({ reader: nodeAssets });
    try {
      expect((await trainer.load(doc)).ok).toBe(true);
      const final = trainer.finalEvaluation(50, 'base');
      expect(final.wholeSplit).toBe(HELD);
      expect(Object.keys(final.losses)).toEqual(['loss.loss']);
    } finally {
      trainer.dispose();
    }
  });

  it('does not apply to a running text or to a split longer than asked', async () => {
    expect(wholeSplitLosses(ctx, 16, HELD - 1)).toBeNull();
    const windows = compiled({ text: { corpus: 'moby-dick', examples: 'windows', heldOutLines: 0 } });
    try {
      const { batcher } = await prepareData(windows, nodeAssets, 5);
      expect(batcher.heldOutCount!('text')).toBeNull();
      expect(wholeSplitLosses({ graph: windows, data: batcher, batchSize: 16, seed: 5, step: 0 })).toBeNull();
    } finally {
      windows.dispose();
    }
  });
});
