// Exporting and importing trained weights, network by network, in TensorFlow.js's own formats.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGraph } from '../compiler/compile';
import type { CharTokenizer, CharVocabJSON } from '../data/text';
import type { WeightAverage } from './optim/ema';

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
  /**
   * The networks samples are drawn through, with their trainable weights replaced by the moving
   * average training keeps of them (training setting `ema`); absent when it keeps none. Without it an
   * import restarts the average from the live weights, and a GAN would sample from its live generator.
   */
  averages?: Record<string, NetworkArtifacts>;
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

export async function exportWeights(graph: CompiledGraph, step: number, tokenizer?: CharTokenizer, average?: WeightAverage | null): Promise<WeightsBundle> {
  const networks: Record<string, NetworkArtifacts> = {};
  for (const n of graph.networks) networks[n.name] = await networkArtifacts(n.model);
  const averages = average ? await average.withAveraged(() => averagedArtifacts(graph, average)) : undefined;
  return { format: WEIGHTS_FORMAT, graphName: graph.doc.name, step, networks, ...(averages ? { averages } : {}), tokenizer: tokenizer?.toJSON() };
}

async function averagedArtifacts(graph: CompiledGraph, average: WeightAverage): Promise<Record<string, NetworkArtifacts>> {
  const out: Record<string, NetworkArtifacts> = {};
  for (const n of graph.networks) if (average.networks.includes(n.name)) out[n.name] = await networkArtifacts(n.model);
  return out;
}

/**
 * Loads a bundle into a compiled graph of the same architecture (fine-tuning starts here). Every
 * network must be present with matching weights; otherwise nothing is changed. The bundle's averages
 * go into `average` when it has them; returns whether they did (if not, the caller restarts it).
 */
export async function importWeights(graph: CompiledGraph, bundle: WeightsBundle, average?: WeightAverage | null): Promise<boolean> {
  if (bundle.format !== WEIGHTS_FORMAT) throw new Error(`not a ${WEIGHTS_FORMAT} file (format "${String(bundle.format)}")`);
  const decoded: tf.NamedTensorMap[] = [];
  const decode = (a: NetworkArtifacts) => {
    const named = tf.io.decodeWeights(a.weightData, a.weightSpecs);
    decoded.push(named);
    return named;
  };
  try {
    const live = graph.networks.map((n) => {
      const a = bundle.networks[n.name];
      if (!a) throw new Error(`the weights have no network "${n.name}" (they have: ${Object.keys(bundle.networks).join(', ')})`);
      const named = decode(a);
      return n.model.weights.map((w) => fileWeight(named, n.name, w, ''));
    });
    const averaged = average && bundle.averages ? averagedWeights(graph, bundle.averages, average, decode) : null;
    graph.networks.forEach((n, i) => n.model.weights.forEach((w, j) => w.write(live[i][j])));
    if (averaged) average!.load(averaged);
    return averaged !== null;
  } finally {
    for (const m of decoded) tf.dispose(Object.values(m));
  }
}

/** The file's tensor for weight `w` of network `net`, checked against the graph's shape. */
function fileWeight(named: tf.NamedTensorMap, net: string, w: tf.LayerVariable, what: string): tf.Tensor {
  const t = named[w.originalName] ?? named[w.name];
  if (!t) throw new Error(`network "${net}"${what} weight "${w.originalName}" is missing from the file`);
  if (t.shape.join() !== w.shape.join())
    throw new Error(`network "${net}"${what} weight "${w.originalName}" has shape [${t.shape}] in the file, [${w.shape}] in the graph`);
  return t;
}

/** The averaged trainable weights in the order `average` keeps them. */
function averagedWeights(graph: CompiledGraph, averages: Record<string, NetworkArtifacts>, average: WeightAverage, decode: (a: NetworkArtifacts) => tf.NamedTensorMap): tf.Tensor[] {
  return average.networks.flatMap((name) => {
    const a = averages[name];
    if (!a) throw new Error(`the weights average no network "${name}", which this graph samples through (they average: ${Object.keys(averages).join(', ')})`);
    const named = decode(a);
    return graph.networks.find((n) => n.name === name)!.model.trainableWeights.map((w) => fileWeight(named, name, w, "'s averaged"));
  });
}
