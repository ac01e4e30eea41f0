// NumPy's .npy format (version 1.0), so data.py reads the exported datasets with np.load.

type Dtype = '|u1' | '<i4' | '<f4';

/** One array as .npy bytes: a padded header describing dtype and shape, then the raw little-endian values. */
export function npy(values: Uint8Array | Int32Array | Float32Array, shape: number[]): Uint8Array {
  const descr: Dtype = values instanceof Uint8Array ? '|u1' : values instanceof Int32Array ? '<i4' : '<f4';
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new Error(`npy: shape [${shape}] holds ${count} values, got ${values.length}`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  // Magic (6) + version (2) + length (2) + header must be a multiple of 64, the header ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + values.byteLength);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  // Typed arrays are little-endian on every platform this runs on (x86, ARM).
  out.set(bytes, total);
  return out;
}
