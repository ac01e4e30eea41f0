// A VAE's latent space for the app: the latent map (2-D latents) and an interpolation strip between
// two points drawn from the prior, decoded with the current weights.
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { decodeLatentGrid, decodeLatents, latentWidth, lerpLatents } from '../train/latent-map';
import type { LatentView } from './protocol';

/** Decoding forces the latent; a data read here would be a bug. */
const noData: DataBatcher = {
  batch: (nodeId) => {
    throw new Error(`node "${nodeId}" asked for training data while decoding latent points`);
  },
};

export function latentView(graph: CompiledGraph, opts: { n: number; range: number; strip: number; seed: number }): LatentView {
  const d = latentWidth(graph);
  if (d === null || graph.sampling?.output !== 'images')
    throw new Error('a latent view needs a VAE that decodes images from a latent of [batch, d] (a reparameterize node feeding a decoder)');
  if (!(opts.strip >= 2 && opts.strip <= 32)) throw new Error(`an interpolation strip needs 2 to 32 images, got ${opts.strip}`);
  const ends = tf.tidy(() => tf.randomNormal([2, d], 0, 1, 'float32', opts.seed).dataSync() as Float32Array);
  const from = ends.slice(0, d);
  const to = ends.slice(d);
  const strip = decodeLatents(graph, noData, lerpLatents(from, to, opts.strip), d);
  if (!strip) throw new Error('the decoder gave no images for the interpolation strip');
  return { dim: d, from, to, strip, map: decodeLatentGrid(graph, noData, opts.n, opts.range), n: opts.n, range: opts.range };
}
