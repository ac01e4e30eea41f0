// Binary data in JSON files (weights, checkpoints, the fixed classifiers), the same in the browser and
// in Node: btoa and atob exist in both.

/** Bytes as base64, in chunks so a large tensor does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Base64 back to bytes; `what` names the field in the error when the text is not base64. */
export function fromBase64(text: string, what = 'the data'): Uint8Array {
  let s: string;
  try {
    s = atob(text);
  } catch {
    throw new Error(`${what} is not valid base64`);
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
