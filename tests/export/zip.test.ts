// The project zip opens with a standard reader (python's zipfile when there is one) and holds each
// file's bytes exactly; the CRC matches zlib's reference value.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { crc32, zip } from '../../runtime/export/zip';
import { hasTorch, PYTHON } from './harness';

describe('project zip', () => {
  it('computes the CRC-32 zip uses', () => {
    // The standard check value of CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it.skipIf(!hasTorch)('opens with python zipfile, every file intact', async () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256);
    const files = new Map<string, string | Uint8Array>([
      ['train.py', 'print("é")\n'],
      ['data/x.npy', bytes],
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'genloom-zip-'));
    try {
      await writeFile(join(dir, 'p.zip'), zip(files, 'project'));
      const script = 'import sys, zipfile, hashlib; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(sorted(z.namelist())); print(z.read("project/train.py").decode()); print(hashlib.sha256(z.read("project/data/x.npy")).hexdigest())';
      const { stdout } = await promisify(execFile)(PYTHON, ['-c', script, join(dir, 'p.zip')]);
      const [names, text, , digest] = stdout.split('\n');
      expect(names).toBe("['project/data/x.npy', 'project/train.py']");
      expect(text).toBe('print("é")');
      const { createHash } = await import('node:crypto');
      expect(digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
