// Class-conditional sampling: a conditional GAN's generator reads the same labels that reach the
// discriminator group's `label` input; sampling puts the asked-for classes there instead of a
// batch of data labels.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compiler/compile';
import { refKey, type PortRef } from '../compiler/partition';

/** The labels a conditional GAN is conditioned on (the wire into a group's `label`), with its class count. */
export function conditioningLabel(graph: CompiledGraph): { ref: PortRef; classes: number } | null {
  for (const [id, { def }] of graph.checked.nodes) {
    if (def.role !== 'group') continue;
    const e = graph.checked.incoming.get(id)?.get('label');
    const classes = e ? graph.analysis.shapes[e.source]?.[e.sourceHandle]?.[1] : null;
    if (e && typeof classes === 'number') return { ref: { node: e.source, port: e.sourceHandle }, classes };
  }
  return null;
}

/** One row of the default √count-wide sample grid per class: row r shows class r (mod the class count). */
export function classesByRow(count: number, classes: number): number[] {
  const cols = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, i) => Math.floor(i / cols) % classes);
}

/**
 * The value to force at the conditioning label while sampling `count` samples of `asked` classes
 * (default: one row per class), or null for an unconditional graph. The caller disposes the tensor.
 */
export function labelOverride(graph: CompiledGraph, count: number, asked?: number[]): { key: string; value: tf.Tensor } | null {
  const cond = conditioningLabel(graph);
  if (!cond) return null;
  const classes = asked ?? classesByRow(count, cond.classes);
  if (classes.length !== count) throw new Error(`asked for ${count} samples but gave ${classes.length} classes: give one class per sample`);
  const bad = classes.find((c) => !Number.isInteger(c) || c < 0 || c >= cond.classes);
  if (bad !== undefined) throw new Error(`class ${bad} does not exist: this generator knows classes 0 to ${cond.classes - 1}`);
  return { key: refKey(cond.ref), value: tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), cond.classes).toFloat()) };
}
