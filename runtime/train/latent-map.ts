// The latent map of a VAE with a 2-D latent: the decoder's image at every point of a grid over
// the latent plane, so one picture shows how the plane is organised.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { refKey } from '../compiler/partition';
import { Evaluator } from '../train/evaluator';
import { toBatch, type SampleBatch } from '../../nodes/sampling';

/** The prior node's 2-D output port, when the graph is a VAE whose latent is a plane. */
export function latentPlanePort(graph: CompiledGraph): { node: string; port: string } | null {
  const latent = graph.sampling?.features.includes('latent') ? graph.sampling.refs.latent : undefined;
  const shape = latent && graph.analysis.shapes[latent.node]?.[latent.port];
  return latent && shape && shape.length === 2 && shape[1] === 2 ? latent : null;
}

/**
 * Decodes an n×n grid of latent points over [-range, range]²: row 0 is the top (largest z₂),
 * column 0 the left (smallest z₁). Returns the images in that row-major order, or null when
 * the graph has no 2-D latent or does not decode to images.
 */
export function decodeLatentGrid(graph: CompiledGraph, data: DataBatcher, n = 20, range = 3): Extract<SampleBatch, { kind: 'images' }> | null {
  const at = latentPlanePort(graph);
  const plan = graph.sampling;
  if (!at || !plan || plan.output !== 'images') return null;
  const z = new Float32Array(n * n * 2);
  const coord = (i: number) => (n === 1 ? 0 : -range + (2 * range * i) / (n - 1));
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      z[2 * (row * n + col)] = coord(col);
      z[2 * (row * n + col) + 1] = coord(n - 1 - row);
    }
  }
  const x = tf.tidy(() => {
    const zt = tf.tensor2d(z, [n * n, 2]);
    const ev = new Evaluator(graph, {
      mode: 'sample', batchSize: n * n, step: 0, data, salt: 13, seed: 1,
      overrides: new Map([[refKey(at), zt]]),
    });
    return ev.tensor(plan.refs.target);
  });
  const batch = toBatch(x);
  x.dispose();
  return batch.kind === 'images' ? batch : null;
}
