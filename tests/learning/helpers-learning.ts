// Shared pieces of the learning tests: the examples as a user gets them, smaller copies sized for
// CI, and a trainer run that checks the tensor count stays flat once optimizer state exists.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { nodeAssets } from '../../runtime/data/assets-node';
import type { GraphDocument, TrainingConfig } from '../../runtime/graph/document';
import { parseGraph } from '../../runtime/graph/load';
import { Trainer } from '../../runtime/train/trainer';

/** wasm is about ten times faster than cpu for these models; learning needs the steps. */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') await initNodeBackend('wasm');
  expect(tf.getBackend()).toBe('wasm');
}

export function loadExample(file: string): GraphDocument {
  const { doc, diagnostics } = parseGraph(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return doc!;
}

/** A copy of `doc` with training settings and node params replaced; the file is untouched. */
export function variant(
  doc: GraphDocument,
  training: Partial<TrainingConfig>,
  params: Record<string, Record<string, unknown>> = {},
): GraphDocument {
  for (const id of Object.keys(params)) expect(doc.nodes.some((n) => n.id === id), `node "${id}"`).toBe(true);
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (params[n.id] ? { ...n, params: { ...n.params, ...params[n.id] } } : n)),
    // No periodic samples or evaluations: the tests ask for what they measure, when they measure it.
    training: { ...doc.training, sampleEvery: 0, evalEvery: 0, ...training },
  };
}

export async function loadTrainer(doc: GraphDocument): Promise<Trainer> {
  const trainer = new Trainer({ reader: nodeAssets });
  const loaded = await trainer.load(doc);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(loaded.ok).toBe(true);
  return trainer;
}

export interface RunReport {
  msPerStep: number;
  /** Tensors alive after the first step (which creates the optimizer's state) and after the last. */
  tensorsAfterFirst: number;
  tensorsAfterLast: number;
  last: Record<string, number>;
}

/** `steps` training steps, bounded by count (vitest cannot interrupt a synchronous tfjs step). */
export async function run(trainer: Trainer, steps: number): Promise<RunReport> {
  await trainer.step(1);
  const tensorsAfterFirst = tf.memory().numTensors;
  const t0 = performance.now();
  const last = await trainer.step(steps - 1);
  const msPerStep = (performance.now() - t0) / Math.max(1, steps - 1);
  return { msPerStep, tensorsAfterFirst, tensorsAfterLast: tf.memory().numTensors, last };
}

/** Mean over points `a` of the distance to the nearest point of `b` (both interleaved x, y). */
export function meanNearestDistance(a: Float32Array, b: Float32Array): number {
  let total = 0;
  const n = a.length / 2;
  for (let i = 0; i < n; i++) {
    const x = a[2 * i];
    const y = a[2 * i + 1];
    let best = Infinity;
    for (let j = 0; j < b.length; j += 2) {
      const dx = x - b[j];
      const dy = y - b[j + 1];
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    total += Math.sqrt(best);
  }
  return total / n;
}
