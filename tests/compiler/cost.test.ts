// The cost estimate reads only shapes; it must agree with what tfjs builds (parameter counts of every
// example) and with relations any FLOP count must keep (a 1×1 convolution is a dense layer at every
// pixel; a transposed convolution of stride s does the work of a stride-1 convolution at its input
// size; a discriminator runs twice a step).
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../runtime/compiler/analyze';
import { compile } from '../../runtime/compiler/compile';
import { graphCost, TRAIN_PASSES } from '../../runtime/compiler/cost';
import { parseGraph } from '../../runtime/graph/load';
import { getNodeDef } from '../../nodes/registry';
import type { GraphDocument } from '../../runtime/graph/document';
import { doc, e, ganDoc, n } from './docs';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const costOf = (d: GraphDocument) => graphCost(d, analyze(d), getNodeDef);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training-step cost from shapes', () => {
  for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.json'))) {
    it(`${f}: the parameter total is what tfjs trains, and every weighted node has a cost`, () => {
      const d = parseGraph(readFileSync(join(EXAMPLES, f), 'utf8')).doc!;
      const cost = costOf(d);
      const { compiled } = compile(d);
      try {
        // The cost counts what is trained: a batch norm's moving mean and variance are weights to tfjs, not parameters.
        const trained = compiled!.networks.flatMap((net) => net.model.trainableWeights).reduce((s, w) => s + w.read().size, 0);
        expect(cost.params).toBe(trained);
      } finally {
        compiled!.dispose();
      }
      expect(cost.step).toBeGreaterThan(0);
      for (const [id, c] of Object.entries(cost.nodes)) expect(Number.isFinite(c.step), id).toBe(true);
    });
  }

  it('counts a 1×1 convolution as a dense layer applied at every pixel', () => {
    const image = (layer: ReturnType<typeof n>) =>
      doc([n('data', 'dataset', { dataset: 'mnist' }), layer], [e('data.x', 'l.in')]);
    const conv = costOf(image(n('l', 'conv2d', { filters: 16, kernelSize: 1 }))).nodes.l;
    const dense = costOf(image(n('l', 'dense', { units: 16 }))).nodes.l;
    expect(conv.forward).toBe(dense.forward);
    expect(conv.forward).toBeGreaterThan(2 * 28 * 28 * 16);
  });

  it('counts a stride-2 transposed convolution as a stride-1 convolution at its input size', () => {
    const layer = (type: string, strides: number) =>
      doc([n('data', 'dataset', { dataset: 'mnist' }), n('l', type, { filters: 8, kernelSize: 3, strides, padding: 'same', useBias: false })], [e('data.x', 'l.in')]);
    const up = costOf(layer('conv2dTranspose', 2)).nodes.l.forward;
    const same = costOf(layer('conv2d', 1)).nodes.l.forward;
    // The same multiplies; only the output values (4× as many) differ.
    expect(up - 4 * 28 * 28 * 8).toBe(same - 28 * 28 * 8);
  });

  it('runs a discriminator’s inner layers twice a step and sums them on the group', () => {
    const d = ganDoc();
    const cost = costOf(d);
    expect(cost.nodes.d1.uses).toBe(2);
    expect(cost.nodes.g1.uses).toBe(1);
    expect(cost.nodes.d1.step).toBe(TRAIN_PASSES * d.training.batchSize * 2 * cost.nodes.d1.forward);
    expect(cost.nodes.D.step).toBe(cost.nodes.d1.step + cost.nodes.d2.step);
    const sum = Object.entries(cost.nodes).filter(([id]) => id !== 'D').reduce((s, [, c]) => s + c.step, 0);
    expect(cost.step).toBe(sum);
  });

  it('grows with the square of the context in attention, not only linearly', () => {
    const gpt = (T: number) => doc(
      [n('text', 'textDataset', { corpus: 'names', contextLength: T }), n('emb', 'tokenEmbedding', { dim: 32 }), n('att', 'multiHeadAttention', { heads: 4 })],
      [e('text.tokens', 'emb.tokens'), e('emb.out', 'att.in')],
    );
    const [a, b, c] = [8, 16, 32].map((T) => costOf(gpt(T)).nodes.att.forward);
    // Linear terms double with T; the T² terms make the second doubling cost more than twice the first.
    expect(c - b).toBeGreaterThan(2 * (b - a) * 1.05);
  });
});
