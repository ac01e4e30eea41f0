// The user's own data, already decoded to pixels or text (decoding files is the app's job), turned
// into the same structures as the built-in sets, with a deterministic held-out split.
import type { DatasetInfo } from '../../nodes/datasets';
import { scalePixels, type DataSplit, type LoadedDataset } from './datasets';
import { permutation } from '../../nodes/rng';
import { buildTextDataset, TEXT_TEST_FRACTION, type TextDataset } from './text';

export const UPLOAD_TEST_FRACTION = 0.1;
const UPLOAD_SPLIT_SEED = 11;

/**
 * Images as count × height × width × channels values: Uint8Array 0–255, or Float32Array in [0, 1].
 * Labels, if given, are class ids 0..classes-1 (`classes` defaults to the largest label + 1). A seeded
 * tenth (at least one) is held out.
 */
export function datasetFromImages(
  pixels: Uint8Array | Float32Array,
  count: number,
  height: number,
  width: number,
  channels: number,
  labels?: ArrayLike<number>,
  classes?: number,
): LoadedDataset {
  for (const [field, v] of Object.entries({ count, height, width, channels })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`uploaded images: ${field} must be a positive integer, got ${v}`);
  }
  if (count < 2) throw new Error(`uploaded images: need at least 2 images to hold one out, got ${count}`);
  const size = height * width * channels;
  if (pixels.length !== count * size) {
    throw new Error(`uploaded images: expected ${count}×${height}×${width}×${channels} = ${count * size} values, got ${pixels.length}`);
  }
  if (pixels instanceof Float32Array) {
    for (let i = 0; i < pixels.length; i++) {
      if (!(pixels[i] >= 0 && pixels[i] <= 1)) throw new Error(`uploaded images: float pixels must be in [0, 1], found ${pixels[i]} at ${i}`);
    }
  }
  if (classes !== undefined && !labels) throw new Error(`uploaded images: ${classes} classes given but no labels`);
  if (labels) {
    if (labels.length !== count) throw new Error(`uploaded images: expected ${count} labels, got ${labels.length}`);
    let max = 0;
    for (let i = 0; i < count; i++) {
      const l = labels[i];
      if (!Number.isInteger(l) || l < 0) throw new Error(`uploaded images: label ${i} is ${l}, expected a class id ≥ 0`);
      max = Math.max(max, l);
    }
    if (classes !== undefined && !(Number.isInteger(classes) && classes > max))
      throw new Error(`uploaded images: labels go up to ${max}, so there must be more than ${max} classes, got ${classes}`);
    classes ??= max + 1;
  }
  const x = scalePixels(pixels, pixels instanceof Uint8Array ? 255 : 1);
  const order = permutation(count, UPLOAD_SPLIT_SEED);
  const nTest = Math.min(count - 1, Math.max(1, Math.round(count * UPLOAD_TEST_FRACTION)));
  const pick = (idx: Int32Array): DataSplit => {
    const out = new Float32Array(idx.length * size);
    idx.forEach((src, dst) => out.set(x.subarray(src * size, (src + 1) * size), dst * size));
    return { x: out, labels: labels ? Int32Array.from(idx, (i) => labels[i]) : undefined, count: idx.length };
  };
  const info: DatasetInfo = {
    name: 'upload',
    label: 'Uploaded images',
    kind: 'image',
    shape: [height, width, channels],
    classes,
    doc: `${count} uploaded images ${height}×${width}×${channels}, scaled to [-1, 1].`,
  };
  return {
    kind: 'image',
    info,
    train: pick(order.subarray(0, count - nTest)),
    test: pick(order.subarray(count - nTest)),
    exampleShape: [height, width, channels],
  };
}

/**
 * The user's text: `lines` treats each line as one example (like 'names'), otherwise it is one
 * running text (like 'moby-dick'). The vocabulary is the text's own characters.
 */
export function datasetFromText(text: string, options: { lines?: boolean } = {}): TextDataset {
  const info: DatasetInfo = { name: 'upload-text', label: 'Uploaded text', kind: 'text', shape: [], doc: `${text.length} characters of uploaded text.` };
  const ds = buildTextDataset(info, text, { lines: options.lines, testFraction: TEXT_TEST_FRACTION });
  ds.info.vocabSize = ds.tokenizer.vocabSize;
  return ds;
}
