// Exporting and importing trained weights, network by network, in TensorFlow.js's own formats.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compiler/compile';
import type { CharTokenizer, CharVocabJSON } from '../data/text';

export const WEIGHTS_FORMAT = 'genloom.weights';

export interface NetworkArtifacts {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface WeightsBundle {
  format: typeof WEIGHTS_FORMAT;
  graphName: string;
  step: number;
  networks: Record<string, NetworkArtifacts>;
  tokenizer?: CharVocabJSON;
}

function flatten(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** Each network as tf.io model artifacts (what `model.json` + weights hold). */
export async function networkArtifacts(model: tf.LayersModel): Promise<NetworkArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved as unknown as tf.io.ModelArtifacts;
  return { modelTopology: a.modelTopology as object, weightSpecs: a.weightSpecs ?? [], weightData: flatten(a.weightData) };
}

export async function exportWeights(graph: CompiledGraph, step: number, tokenizer?: CharTokenizer): Promise<WeightsBundle> {
  const networks: Record<string, NetworkArtifacts> = {};
  for (const n of graph.networks) networks[n.name] = await networkArtifacts(n.model);
  return { format: WEIGHTS_FORMAT, graphName: graph.doc.name, step, networks, tokenizer: tokenizer?.toJSON() };
}

/**
 * Loads a bundle into a compiled graph of the same architecture (fine-tuning starts here). Every
 * network must be present with matching weights; otherwise nothing is changed.
 */
export async function importWeights(graph: CompiledGraph, bundle: WeightsBundle): Promise<void> {
  if (bundle.format !== WEIGHTS_FORMAT) throw new Error(`not a ${WEIGHTS_FORMAT} file (format "${String(bundle.format)}")`);
  const decoded = new Map<string, tf.NamedTensorMap>();
  try {
    for (const n of graph.networks) {
      const a = bundle.networks[n.name];
      if (!a) throw new Error(`the weights have no network "${n.name}" (they have: ${Object.keys(bundle.networks).join(', ')})`);
      const named = tf.io.decodeWeights(a.weightData, a.weightSpecs);
      decoded.set(n.name, named);
      for (const w of n.model.weights) {
        const t = named[w.originalName] ?? named[w.name];
        if (!t) throw new Error(`network "${n.name}" weight "${w.originalName}" is missing from the file`);
        if (t.shape.join() !== w.shape.join())
          throw new Error(`network "${n.name}" weight "${w.originalName}" has shape [${t.shape}] in the file, [${w.shape}] in the graph`);
      }
    }
    for (const n of graph.networks) {
      const named = decoded.get(n.name)!;
      n.model.weights.forEach((w) => w.write(named[w.originalName] ?? named[w.name]));
    }
  } finally {
    for (const m of decoded.values()) tf.dispose(Object.values(m));
  }
}
