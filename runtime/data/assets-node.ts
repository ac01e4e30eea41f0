// Node-only asset reader (tests, CLI, benchmarks). The browser must never import this file.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetReader } from './assets';

/** The folder holding package.json "genloom", found by walking up from this file. */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'genloom') return dir;
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the genloom project root above ${from}`);
    dir = parent;
  }
}

export function assetsDir(root: string = projectRoot()): string {
  return join(root, 'public', 'assets');
}

/** Reads public/assets/ of this project, or `dir` when given (found on first use, not on import). */
export function nodeAssetReader(dir?: string): AssetReader {
  return async (name) => {
    dir ??= assetsDir();
    const file = join(dir, name);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`asset "${name}" is missing from ${dir}: run \`npm run assets\` to build it`);
      }
      throw e;
    }
    // A Buffer may be a view into a shared pool: copy out exactly its bytes.
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
}

/** One shared reader, so the manifest and datasets are cached across callers. */
export const nodeAssets: AssetReader = nodeAssetReader();
