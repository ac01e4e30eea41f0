// A zip archive of files stored uncompressed: enough for a project download, with no dependency.
// Format: PKWARE APPNOTE 6.3 — a local header and the bytes per file, then the central directory.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The archive of `files` (path → text or bytes), every one under the folder `root`. */
export function zip(files: Map<string, string | Uint8Array>, root: string): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [path, content] of files) {
    const name = encoder.encode(`${root}/${path}`);
    const data = typeof content === 'string' ? encoder.encode(content) : content;
    if (data.length >= 0xffffffff || offset >= 0xffffffff) throw new Error('the project is too large for a zip without ZIP64 (4 GB)');
    const crc = crc32(data);
    // Version 2.0, UTF-8 names (bit 11), stored (method 0), no date.
    const fields = (h: DataView, at: number) => {
      h.setUint16(at, 20, true);
      h.setUint16(at + 2, 0x0800, true);
      h.setUint16(at + 4, 0, true);
      h.setUint32(at + 6, 0, true);
      h.setUint32(at + 10, crc, true);
      h.setUint32(at + 14, data.length, true);
      h.setUint32(at + 18, data.length, true);
      h.setUint16(at + 22, name.length, true);
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    fields(lv, 4);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    fields(cv, 6);
    cv.setUint32(42, offset, true);
    entry.set(name, 46);
    chunks.push(local, data);
    central.push(entry);
    offset += local.length + data.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.size, true);
  ev.setUint16(10, files.size, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let at = 0;
  for (const c of [...chunks, ...central, end]) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
