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

export function weightsToText(bundle: WeightsBundle): string {
  const networks: Record<string, StoredNetwork> = {};
  for (const [name, { weightData, ...rest }] of Object.entries(bundle.networks)) networks[name] = { ...rest, weightDataBase64: toBase64(new Uint8Array(weightData)) };
  return JSON.stringify({ ...bundle, networks });
}

export function weightsFromText(text: string, source: string): WeightsBundle {
  let raw: { format?: unknown; networks?: Record<string, StoredNetwork | CliStoredNetwork> } & Omit<WeightsBundle, 'networks' | 'format'>;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`“${source}” is not JSON: expected a ${WEIGHTS_FORMAT} file exported from the training panel`);
  }
  if (raw.format !== WEIGHTS_FORMAT || typeof raw.networks !== 'object' || raw.networks === null) {
    throw new Error(`“${source}” is not a ${WEIGHTS_FORMAT} file (format "${String(raw.format)}")`);
  }
  const networks: Record<string, NetworkArtifacts> = {};
  for (const [name, n] of Object.entries(raw.networks)) {
    const base64 = 'weightDataBase64' in n ? n.weightDataBase64 : n.weightData;
    if (typeof base64 !== 'string') throw new Error(`“${source}”: network "${name}" has no weightDataBase64`);
    const { modelTopology, weightSpecs } = n;
    networks[name] = { modelTopology, weightSpecs, weightData: fromBase64(base64, `network "${name}"`).slice().buffer };
  }
  return { ...raw, format: WEIGHTS_FORMAT, networks };
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
