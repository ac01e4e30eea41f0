// Weights as a .json file: the bundle with each network's binary weights in base64, so one file
// carries everything and opens in any text editor.
import { fromBase64, toBase64 } from '../../runtime/data/base64';
import { WEIGHTS_FORMAT, type NetworkArtifacts, type WeightsBundle } from '../../runtime/train/weights';

interface StoredNetwork extends Omit<NetworkArtifacts, 'weightData'> {
  weightDataBase64: string;
}

/** The CLI's weights.json (and an exported PyTorch project's) keeps the base64 under `weightData`. */
interface CliStoredNetwork extends Omit<NetworkArtifacts, 'weightData'> {
  weightData: string;
}

function encoded(networks: Record<string, NetworkArtifacts>): Record<string, StoredNetwork> {
  const out: Record<string, StoredNetwork> = {};
  for (const [name, { weightData, ...rest }] of Object.entries(networks)) out[name] = { ...rest, weightDataBase64: toBase64(new Uint8Array(weightData)) };
  return out;
}

export function weightsToText(bundle: WeightsBundle): string {
  return JSON.stringify({ ...bundle, networks: encoded(bundle.networks), ...(bundle.averages ? { averages: encoded(bundle.averages) } : {}) });
}

type Stored = Record<string, StoredNetwork | CliStoredNetwork>;

function decoded(stored: Stored, source: string, what: string): Record<string, NetworkArtifacts> {
  const out: Record<string, NetworkArtifacts> = {};
  for (const [name, n] of Object.entries(stored)) {
    const base64 = n && typeof n === 'object' ? ('weightDataBase64' in n ? n.weightDataBase64 : n.weightData) : undefined;
    if (typeof base64 !== 'string') throw new Error(`“${source}”: ${what} "${name}" has no weightDataBase64`);
    const { modelTopology, weightSpecs } = n;
    out[name] = { modelTopology, weightSpecs, weightData: fromBase64(base64, `${what} "${name}"`).slice().buffer };
  }
  return out;
}

export function weightsFromText(text: string, source: string): WeightsBundle {
  let raw: { format?: unknown; networks?: Stored; averages?: Stored } & Omit<WeightsBundle, 'networks' | 'format' | 'averages'>;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`“${source}” is not JSON: expected a ${WEIGHTS_FORMAT} file exported from the training panel`);
  }
  if (raw.format !== WEIGHTS_FORMAT || typeof raw.networks !== 'object' || raw.networks === null) {
    throw new Error(`“${source}” is not a ${WEIGHTS_FORMAT} file (format "${String(raw.format)}")`);
  }
  if (raw.averages !== undefined && (typeof raw.averages !== 'object' || raw.averages === null)) throw new Error(`“${source}”: "averages" is not an object of networks`);
  const networks = decoded(raw.networks, source, 'network');
  const averages = raw.averages ? decoded(raw.averages, source, 'averaged network') : undefined;
  return { ...raw, format: WEIGHTS_FORMAT, networks, averages };
}

export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
