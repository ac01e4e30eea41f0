// Pictures of a VAE's latent space: the latent map (with a 2-D latent, the decoder's image at every
// point of a grid over the plane, so one picture shows how the plane is organised) and an
// interpolation strip (the images along a straight line between two latent points, any latent size).
// Used by the CLI's outputs and the app's latent view.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { refKey } from '../compiler/partition';
import { Evaluator } from './evaluator';
import { toBatch, type SampleBatch } from '../../nodes/sampling';

type ImageBatch = Extract<SampleBatch, { kind: 'images' }>;

/** The prior node's output port, when the graph is a VAE sampled from a prior. */
export function latentPort(graph: CompiledGraph): { node: string; port: string } | null {
  return graph.sampling?.features.includes('latent') ? (graph.sampling.refs.latent ?? null) : null;
}

/** The prior node's 2-D output port, when the graph is a VAE whose latent is a plane. */
export function latentPlanePort(graph: CompiledGraph): { node: string; port: string } | null {
  const latent = latentPort(graph);
  const shape = latent && graph.analysis.shapes[latent.node]?.[latent.port];
  return latent && shape && shape.length === 2 && shape[1] === 2 ? latent : null;
}

/** The latent's width (a latent of [batch, d]), or null when the graph has no latent to force. */
export function latentWidth(graph: CompiledGraph): number | null {
  const latent = latentPort(graph);
  const shape = latent && graph.analysis.shapes[latent.node]?.[latent.port];
  return shape && shape.length === 2 && typeof shape[1] === 'number' ? shape[1] : null;
}

/**
 * The decoder's images for latent points z ([count, d]), as data: a decoder that outputs a
 * distribution's parameter (Bernoulli logits) is read through its loss's `toData`, as sampling does.
 */
export function decodeLatents(graph: CompiledGraph, data: DataBatcher, z: Float32Array, d: number): ImageBatch | null {
  const at = latentPort(graph);
  const plan = graph.sampling;
  if (!at || !plan || plan.output !== 'images') return null;
  const count = z.length / d;
  const x = tf.tidy(() => {
    const ev = new Evaluator(graph, {
      mode: 'sample', batchSize: count, step: 0, data, salt: 13, seed: 1,
      overrides: new Map([[refKey(at), tf.tensor2d(z, [count, d])]]),
    });
    const out = ev.tensor(plan.refs.target);
    const decoded = plan.refs.decoded && graph.checked.nodes.get(plan.refs.decoded.node);
    return decoded?.def.toData ? decoded.def.toData(decoded.params, out) : out;
  });
  const batch = toBatch(x);
  x.dispose();
  return batch.kind === 'images' ? batch : null;
}

/** Latent coordinates of cell (row, col) of an n×n map over [-range, range]²: row 0 the top (largest z₂). */
export function latentGridPoint(row: number, col: number, n: number, range: number): [number, number] {
  const coord = (i: number) => (n === 1 ? 0 : -range + (2 * range * i) / (n - 1));
  return [coord(col), coord(n - 1 - row)];
}

/**
 * Decodes an n×n grid of latent points over [-range, range]²: row 0 is the top (largest z₂),
 * column 0 the left (smallest z₁). Returns the images in that row-major order, or null when
 * the graph has no 2-D latent or does not decode to images.
 */
export function decodeLatentGrid(graph: CompiledGraph, data: DataBatcher, n = 20, range = 3): ImageBatch | null {
  if (!latentPlanePort(graph)) return null;
  const z = new Float32Array(n * n * 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) z.set(latentGridPoint(row, col, n, range), 2 * (row * n + col));
  }
  return decodeLatents(graph, data, z, 2);
}

/** `count` latent points evenly spaced from `a` to `b` (both included), flattened [count, d]. */
export function lerpLatents(a: Float32Array, b: Float32Array, count: number): Float32Array {
  const d = a.length;
  const z = new Float32Array(count * d);
  for (let k = 0; k < count; k++) {
    const t = count === 1 ? 0 : k / (count - 1);
    for (let j = 0; j < d; j++) z[k * d + j] = (1 - t) * a[j] + t * b[j];
  }
  return z;
}
