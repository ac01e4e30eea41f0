// How datasets reach their bytes: in Node from public/assets/ on disk (assets-node.ts), in the
// browser by fetch (assets-browser.ts). Loaders take a reader so the same code runs in both.
import { ASSET_VERSION, isCurrentManifest, MANIFEST_FILE, type AssetManifest } from './manifest';

export type AssetReader = (name: string) => Promise<ArrayBuffer>;

const manifests = new WeakMap<AssetReader, Promise<AssetManifest>>();

/** The asset manifest, read once per reader; throws if it was built by another version. */
export function readManifest(reader: AssetReader): Promise<AssetManifest> {
  let m = manifests.get(reader);
  if (!m) {
    m = reader(MANIFEST_FILE).then((buf) => {
      const value: unknown = JSON.parse(new TextDecoder().decode(buf));
      if (!isCurrentManifest(value)) {
        throw new Error(`assets/${MANIFEST_FILE} is not version ${ASSET_VERSION}: run \`npm run assets\` to rebuild the assets`);
      }
      return value;
    });
    m.catch(() => manifests.delete(reader));
    manifests.set(reader, m);
  }
  return m;
}

/** Reads a file and checks its size against the manifest (a truncated download fails here). */
export async function readChecked(reader: AssetReader, manifest: AssetManifest, name: string): Promise<ArrayBuffer> {
  const buf = await reader(name);
  const expected = manifest.bytes[name];
  if (expected !== undefined && buf.byteLength !== expected) {
    throw new Error(`asset "${name}" has ${buf.byteLength} bytes, expected ${expected}: run \`npm run assets\``);
  }
  return buf;
}

const loaded = new WeakMap<AssetReader, Map<string, Promise<unknown>>>();

/** Loads once per reader and key; a failed load is forgotten so it can be retried. */
export function cachedLoad<T>(reader: AssetReader, key: string, load: () => Promise<T>): Promise<T> {
  let byKey = loaded.get(reader);
  if (!byKey) loaded.set(reader, (byKey = new Map()));
  let p = byKey.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    p.catch(() => byKey.delete(key));
    byKey.set(key, p);
  }
  return p;
}
