// Every layer node type, exported to PyTorch, computes what tfjs computes on the same inputs and
// weights (within 1e-4), and its weights come back from PyTorch unchanged. Runs Debian's
// python3-torch; without it (outside CI) the test is skipped with a message.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import type { GraphDocument } from '../../runtime/graph/document';
import { importWeights } from '../../runtime/train/weights';
import { NODE_TYPES } from '../../nodes/registry';
import { doc, e, n } from '../compiler/docs';
import { hasTorch, runCases, type CaseResult } from './harness';

// Each layer is followed by a batch norm, so that layers without weights still make a network
// with something to train (the compiler refuses one without).

/** noise [in] → the layer → batch norm → a reconstruction loss against noise of the layer's output shape. */
function layerCase(type: string, params: Record<string, unknown>, input: number[], output: number[]): GraphDocument {
  return doc(
    [n('z', 'noise', { shape: input }), n('layer', type, params), n('tail', 'batchNorm'), n('t', 'noise', { shape: output }), n('loss', 'reconstruction', {})],
    [e('z.z', 'layer.in'), e('layer.out', 'tail.in'), e('tail.out', 'loss.pred'), e('t.z', 'loss.target')],
  );
}

/** Two inputs (a, b) merged by the layer. */
function mergeCase(type: string, params: Record<string, unknown>, a: number[], b: number[], output: number[], ports = ['a', 'b']): GraphDocument {
  return doc(
    [n('x', 'noise', { shape: a }), n('y', 'noise', { shape: b }), n('layer', type, params), n('tail', 'batchNorm'), n('t', 'noise', { shape: output }), n('loss', 'reconstruction', {})],
    [e('x.z', `layer.${ports[0]}`), e('y.z', `layer.${ports[1]}`), e('layer.out', 'tail.in'), e('tail.out', 'loss.pred'), e('t.z', 'loss.target')],
  );
}

function gptCase(positions: 'learned' | 'sinusoidal'): GraphDocument {
  return doc(
    [
      n('text', 'textDataset', { corpus: 'names', contextLength: 8 }),
      n('embed', 'tokenEmbedding', { dim: 8 }),
      n('positions', 'positionalEmbedding', { mode: positions }),
      n('attn', 'multiHeadAttention', { heads: 2, causal: true }),
      n('ff', 'feedForward', { multiplier: 2, activation: 'silu' }),
      n('block', 'transformerBlock', { heads: 2, ffMultiplier: 2 }),
      n('norm', 'layerNorm', { epsilon: 1e-5 }),
      n('head', 'lmHead', {}),
      n('loss', 'crossEntropy', {}),
    ],
    [
      e('text.tokens', 'embed.tokens'),
      e('embed.out', 'positions.in'),
      e('positions.out', 'attn.in'),
      e('attn.out', 'ff.in'),
      e('ff.out', 'block.in'),
      e('block.out', 'norm.in'),
      e('norm.out', 'head.in'),
      e('head.logits', 'loss.logits'),
      e('text.targets', 'loss.target'),
    ],
  );
}

const CASES: [string, GraphDocument][] = [
  ['dense', layerCase('dense', { units: 5, activation: 'relu' }, [6], [5])],
  ['dense-leaky-nobias', layerCase('dense', { units: 5, activation: 'leakyRelu', useBias: false }, [6], [5])],
  ['dense-sequence', layerCase('dense', { units: 4, activation: 'gelu' }, [3, 6], [3, 4])],
  ['dense-image', layerCase('dense', { units: 4, activation: 'tanh' }, [4, 4, 3], [4, 4, 4])],
  ['conv2d-same', layerCase('conv2d', { filters: 4, kernelSize: 3, activation: 'silu' }, [6, 6, 2], [6, 6, 4])],
  ['conv2d-stride2', layerCase('conv2d', { filters: 4, kernelSize: 4, strides: 2, activation: 'leakyRelu' }, [8, 8, 2], [4, 4, 4])],
  ['conv2d-uneven-padding', layerCase('conv2d', { filters: 3, kernelSize: 3, strides: 2, activation: 'sigmoid' }, [8, 8, 2], [4, 4, 3])],
  ['conv2d-valid', layerCase('conv2d', { filters: 3, kernelSize: 3, padding: 'valid', useBias: false }, [7, 7, 2], [5, 5, 3])],
  ['conv2dTranspose', layerCase('conv2dTranspose', { filters: 3, kernelSize: 4, strides: 2, activation: 'relu' }, [4, 4, 2], [8, 8, 3])],
  ['conv2dTranspose-uneven', layerCase('conv2dTranspose', { filters: 3, kernelSize: 3, strides: 2 }, [4, 4, 2], [8, 8, 3])],
  ['conv2dTranspose-valid', layerCase('conv2dTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }, [3, 3, 2], [7, 7, 2])],
  ['conv2dTranspose-small-kernel', layerCase('conv2dTranspose', { filters: 2, kernelSize: 1, strides: 2, padding: 'valid' }, [3, 3, 2], [6, 6, 2])],
  ['upsample', layerCase('upsample', { factor: 2 }, [3, 3, 2], [6, 6, 2])],
  ['pooling-max', layerCase('pooling', { mode: 'max', poolSize: 2, strides: 2 }, [6, 6, 2], [3, 3, 2])],
  ['pooling-average', layerCase('pooling', { mode: 'average', poolSize: 2, strides: 2 }, [6, 6, 2], [3, 3, 2])],
  ['pooling-same', layerCase('pooling', { mode: 'max', poolSize: 3, strides: 1, padding: 'same' }, [5, 5, 2], [5, 5, 2])],
  ['batchNorm', layerCase('batchNorm', {}, [6], [6])],
  ['batchNorm-image', layerCase('batchNorm', { momentum: 0.9 }, [4, 4, 3], [4, 4, 3])],
  ['layerNorm-image', layerCase('layerNorm', {}, [4, 4, 3], [4, 4, 3])],
  ['activation', layerCase('activation', { activation: 'leakyRelu', alpha: 0.1 }, [6], [6])],
  ['dropout', layerCase('dropout', { rate: 0.5 }, [6], [6])],
  ['reshape-to-image', layerCase('reshape', { targetShape: [2, 2, 3] }, [12], [2, 2, 3])],
  ['reshape-from-image', layerCase('reshape', { targetShape: [12] }, [2, 2, 3], [12])],
  ['flatten', layerCase('flatten', {}, [2, 3, 2], [12])],
  ['concat-channels', mergeCase('concat', {}, [3, 3, 2], [3, 3, 1], [3, 3, 3])],
  ['concat-height', mergeCase('concat', { axis: 1 }, [2, 3, 2], [1, 3, 2], [3, 3, 2])],
  ['add', mergeCase('add', {}, [2, 2, 3], [2, 2, 3], [2, 2, 3])],
  ['minibatchStddev', layerCase('minibatchStddev', { groupSize: 4 }, [6], [7])],
  ['minibatchStddev-image', layerCase('minibatchStddev', { groupSize: 4 }, [3, 3, 2], [3, 3, 3])],
  ['timeEmbedding', layerCase('timeEmbedding', { dim: 8, mlp: true }, [1], [8])],
  ['timeEmbedding-plain', layerCase('timeEmbedding', { dim: 6, mlp: false }, [1], [6])],
  ['timeBias', mergeCase('timeBias', {}, [3, 3, 4], [5], [3, 3, 4], ['in', 'emb'])],
  ['timeBias-scale', mergeCase('timeBias', { mode: 'scale' }, [6], [5], [6], ['in', 'emb'])],
  ['groupNorm-image', layerCase('groupNorm', { groups: 2 }, [4, 4, 4], [4, 4, 4])],
  ['groupNorm-sequence', layerCase('groupNorm', { groups: 3 }, [5, 6], [5, 6])],
  ['resBlock', mergeCase('resBlock', { filters: 4, groups: 2 }, [4, 4, 2], [5], [4, 4, 4], ['in', 'emb'])],
  ['resBlock-plain', layerCase('resBlock', { filters: 4, groups: 4 }, [3, 3, 4], [3, 3, 4])],
  ['spatialAttention', layerCase('spatialAttention', { heads: 2, groups: 2 }, [3, 3, 4], [3, 3, 4])],
  ['gpt-learned', gptCase('learned')],
  ['gpt-sinusoidal', gptCase('sinusoidal')],
];

let root = '';
let results: CaseResult[] = [];

describe.skipIf(!hasTorch)('PyTorch export parity (python3-torch)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'genloom-parity-'));
    results = await runCases(CASES, root);
  }, 240_000);
  afterAll(async () => {
    for (const r of results) r.graph.dispose();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('covers every layer node type', () => {
    const covered = new Set(CASES.flatMap(([, d]) => d.nodes.map((x) => x.type)));
    const layers = NODE_TYPES.filter((d) => d.role === 'layer').map((d) => d.type);
    expect(layers.filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(CASES.map(([name]) => [name]))('%s: PyTorch outputs equal tfjs outputs within 1e-4', (name) => {
    const r = results.find((x) => x.name === name)!;
    expect(r.maxError).toBeLessThanOrEqual(1e-4);
  });

  it.each(CASES.map(([name]) => [name]))('%s: weights come back from PyTorch identical', async (name) => {
    const r = results.find((x) => x.name === name)!;
    for (const [net, a] of Object.entries(r.original.networks)) {
      const b = r.roundtrip.networks[net];
      expect(b, `network ${net}`).toBeDefined();
      const before = tf.io.decodeWeights(a.weightData, a.weightSpecs);
      const after = tf.io.decodeWeights(b.weightData, b.weightSpecs);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const [k, t] of Object.entries(before)) expect(Array.from(after[k].dataSync()), `${net} ${k}`).toEqual(Array.from(t.dataSync()));
      tf.dispose([...Object.values(before), ...Object.values(after)]);
    }
    // What PyTorch wrote loads back into the graph as Genloom's own weights do.
    // (No weight average is asked for, so none is loaded.)
    await expect(importWeights(r.graph, r.roundtrip)).resolves.toBe(false);
  });
});

if (!hasTorch) console.warn('tests/export/parity: skipped, /usr/bin/python3 has no torch (apt-get install python3-torch)');
