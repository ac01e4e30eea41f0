// Browser (and Web Worker) asset reader: the files Vite serves from public/assets/.
import type { AssetReader } from './assets';

function baseUrl(): string {
  const base: unknown = import.meta.env?.BASE_URL;
  return typeof base === 'string' ? base : '/';
}

export const browserAssets: AssetReader = async (name) => {
  const url = `${baseUrl()}assets/${name}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`cannot fetch asset "${name}" from ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) {
    throw new Error(`asset "${name}" is not served at ${url} (HTTP ${res.status}): run \`npm run assets\` and reload`);
  }
  return res.arrayBuffer();
};
