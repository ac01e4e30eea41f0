// Builds a small char GPT from the transformer nodes the way the compiler does: each node's build
// applied to the symbolic outputs of the one before, then one tf.LayersModel.
import * as tf from '@tensorflow/tfjs';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import type { ShapeMap } from '../../nodes/types';
import { testContext } from '../nodes/harness';

export interface TinyGptSpec {
  vocab: number;
  T: number;
  dim: number;
  heads: number;
  blocks: number;
  positions?: 'learned' | 'sinusoidal';
}

function apply(type: string, id: string, raw: Record<string, unknown>, port: string, x: tf.SymbolicTensor, seed: number) {
  const def = getNodeDef(type);
  if (!def?.build) throw new Error(`no layer node ${type}`);
  const { params, problems } = resolveParams(def, raw);
  if (problems.length) throw new Error(`${id}: ${problems.map((p) => p.message).join('; ')}`);
  const shapes: ShapeMap = { [port]: x.shape };
  const inferred = def.inferShapes(shapes, params);
  const out = def.build(params, shapes, testContext(id, seed))({ [port]: x });
  const outPort = def.outputs[0].id;
  if (JSON.stringify(out[outPort].shape) !== JSON.stringify(inferred[outPort]))
    throw new Error(`${id}: built ${JSON.stringify(out[outPort].shape)}, inferred ${JSON.stringify(inferred[outPort])}`);
  return out[outPort];
}

export function buildTinyGpt(s: TinyGptSpec): tf.LayersModel {
  const tokens = tf.input({ shape: [s.T], dtype: 'int32', name: 'tokens' });
  let x = apply('tokenEmbedding', 'emb', { vocabSize: s.vocab, dim: s.dim }, 'tokens', tokens, 1);
  x = apply('positionalEmbedding', 'pos', { mode: s.positions ?? 'learned' }, 'in', x, 2);
  for (let b = 0; b < s.blocks; b++) x = apply('transformerBlock', `block${b}`, { heads: s.heads, ffMultiplier: 2 }, 'in', x, 10 + b);
  x = apply('layerNorm', 'lnf', { epsilon: 1e-5 }, 'in', x, 20);
  x = apply('lmHead', 'head', { vocabSize: s.vocab }, 'in', x, 21);
  return tf.model({ inputs: tokens, outputs: x });
}

export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('no artifacts');
  // Through JSON text, as a file on disk or in IndexedDB would be.
  const topology = JSON.parse(JSON.stringify(saved.modelTopology));
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved, modelTopology: topology }));
}
