// Reads one file out of a zip archive with Node's zlib: the central directory names each entry and
// where its local header sits; the data is stored or deflated. No zip64, which files under 4 GB
// don't need.
import { inflateRawSync } from 'node:zlib';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

export function readZipEntry(zip: Uint8Array, name: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-directory record is the last 22 bytes, unless a comment (≤ 65,535 bytes) follows it.
  let end = -1;
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 65535); p--) {
    if (view.getUint32(p, true) === END_OF_DIRECTORY) {
      end = p;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const entries = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  const names: string[] = [];
  const text = new TextDecoder();
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(p, true) !== DIRECTORY_ENTRY) throw new Error(`zip archive: central directory entry ${i} is damaged`);
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extra = view.getUint16(p + 30, true);
    const comment = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const entry = text.decode(zip.subarray(p + 46, p + 46 + nameLength));
    names.push(entry);
    if (entry === name) {
      if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error(`zip archive: the local header of "${name}" is damaged`);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + compressed);
      const out = method === 0 ? data.slice() : method === 8 ? new Uint8Array(inflateRawSync(data)) : null;
      if (!out) throw new Error(`zip archive: "${name}" uses compression method ${method}; only stored (0) and deflate (8) are read`);
      if (out.length !== size) throw new Error(`zip archive: "${name}" unpacked to ${out.length} bytes, its directory says ${size}`);
      return out;
    }
    p += 46 + nameLength + extra + comment;
  }
  throw new Error(`zip archive has no "${name}"; it holds ${names.join(', ')}`);
}
