// Output files that survive failures: each is written to a temporary name and renamed into place,
// so a crash or Ctrl-C leaves either the old file or the new one, never half of one; and the
// output folder is checked, and made, before training rather than after it.
import { lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const reason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : code === 'ENOSPC' ? 'the disk is full' : code ?? (e as Error).message;
};

/** Writes `file` atomically: a temporary file beside it, then a rename. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${reason(e)}`);
  }
}

/**
 * Makes `dir` (and its missing parents) and proves it writable, or returns why not. Parents are
 * made one at a time: Node's recursive mkdir never returns for some paths (under /proc).
 */
export async function prepareOutDir(dir: string): Promise<{ dir: string } | { problem: string }> {
  const abs = resolve(dir);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    try {
      const s = await stat(at);
      if (!s.isDirectory()) return { problem: `${at === abs ? abs : at} is a file, not a folder` };
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; walking up finds and names it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return { problem: `cannot read ${at}: ${reason(e)}` };
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) return { problem: `${abs} has no existing parent folder` };
      at = up;
    }
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await lstat(d)).isDirectory()) continue;
      return { problem: `cannot create the folder ${d}: ${reason(e)}` };
    }
  }
  try {
    const probe = resolve(abs, `.genloom-write-check-${process.pid}`);
    await writeAtomic(probe, 'ok');
    await rm(probe);
  } catch (e) {
    return { problem: `cannot write files in ${abs}: ${(e as Error).message.replace(/^cannot write \S+: /, '')}` };
  }
  return { dir: abs };
}
