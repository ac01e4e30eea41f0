// Small helpers for shape inference and its messages.
import { NodeError, type Shape } from './types';

/** `[batch, 28, 28, 1]`: how shapes read in every message and on every edge. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((d, i) => (d === null ? (i === 0 ? 'batch' : '?') : String(d))).join(', ')}]`;
}

/** The input shape on `port`, or a NodeError saying it is missing. */
export function need(inputs: Record<string, Shape>, port: string): Shape {
  const s = inputs[port];
  if (!s) throw new NodeError(`needs its "${port}" input connected`);
  return s;
}

export function product(dims: readonly (number | null)[]): number {
  return dims.reduce<number>((a, d) => a * (d ?? 1), 1);
}

/** Output length of a strided window along one axis, as tf computes it. */
export function convOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
