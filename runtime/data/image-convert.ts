// Turns one decoded picture (RGBA, any size) into a square training image of the size and colour
// the dataset node asks for. Pure so that it is testable without a browser; decoding is the app's job.

export type ImageColor = 'grayscale' | 'rgb';

export const channelsOf = (color: ImageColor): 1 | 3 => (color === 'rgb' ? 3 : 1);

/**
 * For each output cell along one axis, the source pixels it covers and by how much (area weights
 * summing to 1), so shrinking averages every pixel instead of skipping most of them.
 */
function axisWeights(offset: number, span: number, size: number): { start: number; weights: number[] }[] {
  const scale = span / size;
  return Array.from({ length: size }, (_, o) => {
    const a = o * scale;
    const b = a + scale;
    const start = Math.floor(a);
    const weights: number[] = [];
    for (let i = start; i < Math.min(b, span); i++) weights.push((Math.min(b, i + 1) - Math.max(a, i)) / scale);
    return { start: offset + start, weights };
  });
}

/**
 * Center-crops an RGBA picture to a square, resizes it to size×size by area averaging, and returns
 * size×size×channels bytes. Transparent areas become black, the background of the built-in digit sets;
 * grayscale is Rec. 601 luma.
 */
export function convertImage(rgba: ArrayLike<number>, width: number, height: number, size: number, color: ImageColor): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new Error(`the picture is ${width}×${height}: expected a positive width and height`);
  if (rgba.length !== width * height * 4)
    throw new Error(`expected ${width}×${height}×4 = ${width * height * 4} RGBA values, got ${rgba.length}`);
  if (!Number.isInteger(size) || size < 1) throw new Error(`image size must be a positive integer, got ${size}`);
  const side = Math.min(width, height);
  const cols = axisWeights(Math.floor((width - side) / 2), side, size);
  const rows = axisWeights(Math.floor((height - side) / 2), side, size);
  const channels = channelsOf(color);
  const out = new Uint8Array(size * size * channels);
  const acc = [0, 0, 0];
  for (let oy = 0; oy < size; oy++) {
    const row = rows[oy];
    for (let ox = 0; ox < size; ox++) {
      const col = cols[ox];
      acc[0] = acc[1] = acc[2] = 0;
      row.weights.forEach((wy, dy) => {
        col.weights.forEach((wx, dx) => {
          const p = ((row.start + dy) * width + col.start + dx) * 4;
          const w = (wy * wx * rgba[p + 3]) / 255;
          acc[0] += w * rgba[p];
          acc[1] += w * rgba[p + 1];
          acc[2] += w * rgba[p + 2];
        });
      });
      const o = (oy * size + ox) * channels;
      if (channels === 1) out[o] = Math.round(0.299 * acc[0] + 0.587 * acc[1] + 0.114 * acc[2]);
      else for (let c = 0; c < 3; c++) out[o + c] = Math.round(acc[c]);
    }
  }
  return out;
}

/** Converted images, one after another, as the single array datasetFromImages reads. */
export function packImages(images: Uint8Array[]): Uint8Array {
  const size = images[0]?.length ?? 0;
  const out = new Uint8Array(images.length * size);
  images.forEach((img, i) => {
    if (img.length !== size) throw new Error(`image ${i} has ${img.length} values, expected ${size} like the first`);
    out.set(img, i * size);
  });
  return out;
}
