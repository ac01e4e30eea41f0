// Trained weights on disk: each network in TensorFlow.js's own layers-model format (model.json +
// weights.bin, loadable with tf.loadLayersModel), and the whole bundle as one JSON file for
// fine-tuning with --init-weights.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './files';
import { WEIGHTS_FORMAT, type NetworkArtifacts, type WeightsBundle } from '../train/weights';

export const WEIGHTS_FILE = 'weights.bin';

/** The model.json that tf.io.browserFiles / tf.io.http would read. */
export function modelJSON(a: NetworkArtifacts): object {
  return {
    format: 'layers-model',
    generatedBy: 'Genloom',
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs }],
  };
}

/** A network name as a folder name (names are role words, but a user graph may hold anything). */
export function folderName(network: string): string {
  const s = network.replace(/[^A-Za-z0-9_.-]/g, '_');
  return s === '' || s === '.' || s === '..' ? `network_${s}` : s;
}

/** The folder name of a network's averaged weights (the ones samples are drawn through). */
export const averagedFolder = (network: string) => folderName(`${network}-ema`);

/**
 * Writes DIR/<network>/model.json + weights.bin for every network, and DIR/<network>-ema/ for each
 * network the bundle also holds averaged; returns the folders.
 */
export async function writeModels(dir: string, bundle: WeightsBundle): Promise<string[]> {
  const folders: string[] = [];
  const all = [
    ...Object.entries(bundle.networks).map(([name, a]) => [folderName(name), a] as const),
    ...Object.entries(bundle.averages ?? {}).map(([name, a]) => [averagedFolder(name), a] as const),
  ];
  for (const [name, a] of all) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    // The weights before the model.json that points at them: a model.json never names missing bytes.
    await writeAtomic(join(folder, WEIGHTS_FILE), new Uint8Array(a.weightData));
    await writeAtomic(join(folder, 'model.json'), JSON.stringify(modelJSON(a)));
    folders.push(folder);
  }
  return folders;
}

interface StoredArtifacts extends Omit<NetworkArtifacts, 'weightData'> {
  /** The weights' bytes, base64. */
  weightData: string;
}

function encoded(networks: Record<string, NetworkArtifacts>): Record<string, StoredArtifacts> {
  const out: Record<string, StoredArtifacts> = {};
  for (const [name, a] of Object.entries(networks)) out[name] = { ...a, weightData: Buffer.from(a.weightData).toString('base64') };
  return out;
}

/** The bundle as JSON text, its binary parts in base64. */
export function bundleToJSON(bundle: WeightsBundle): string {
  return JSON.stringify({ ...bundle, networks: encoded(bundle.networks), ...(bundle.averages ? { averages: encoded(bundle.averages) } : {}) });
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function decoded(stored: Record<string, Partial<StoredArtifacts>>, file: string, what: string): Record<string, NetworkArtifacts> {
  const out: Record<string, NetworkArtifacts> = {};
  for (const [name, a] of Object.entries(stored)) {
    if (typeof a?.weightData !== 'string' || !Array.isArray(a.weightSpecs) || !a.modelTopology) {
      throw new Error(`${file}: ${what} "${name}" lacks modelTopology, weightSpecs or weightData`);
    }
    out[name] = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: toArrayBuffer(Buffer.from(a.weightData, 'base64')) };
  }
  return out;
}

/** Parses what bundleToJSON wrote; throws with a message naming the file's problem. */
export function bundleFromJSON(text: string, file = 'the weights file'): WeightsBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  type Stored = Record<string, Partial<StoredArtifacts>>;
  const r = raw as Partial<Omit<WeightsBundle, 'networks' | 'averages'>> & { networks?: Stored; averages?: Stored };
  if (!r || typeof r !== 'object' || r.format !== WEIGHTS_FORMAT) {
    throw new Error(`${file} is not a ${WEIGHTS_FORMAT} file (expected the weights.json a training run writes)`);
  }
  if (!r.networks || typeof r.networks !== 'object') throw new Error(`${file} has no "networks"`);
  if (r.averages !== undefined && (!r.averages || typeof r.averages !== 'object')) throw new Error(`${file}: "averages" is not an object of networks`);
  const networks = decoded(r.networks, file, 'network');
  const averages = r.averages ? decoded(r.averages, file, 'averaged network') : undefined;
  return { ...(r as unknown as WeightsBundle), step: Number(r.step) || 0, networks, ...(averages ? { averages } : {}) };
}

export async function writeBundle(file: string, bundle: WeightsBundle): Promise<void> {
  await writeAtomic(file, bundleToJSON(bundle));
}

export async function readBundle(file: string): Promise<WeightsBundle> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return bundleFromJSON(text, file);
}
