// Loads the built-in image and point datasets into memory, ready for batching: images from the
// assets scaled to [-1, 1], points generated from a fixed seed. Text sets live in text.ts.
import { DATASETS, type DatasetInfo } from '../../nodes/datasets';
import { cachedLoad, readChecked, readManifest, type AssetReader } from './assets';
import { generatePoints, isProcedural, PROCEDURAL_SEEDS, PROCEDURAL_TEST, PROCEDURAL_TRAIN, PUBLISHED_POINTS, type PointSettings } from './procedural';

export interface DataSplit {
  /** count × exampleShape, row-major; images in [-1, 1]. */
  x: Float32Array;
  /** The class of each example, for labelled sets. */
  labels?: Int32Array | Uint8Array;
  count: number;
}

export interface LoadedDataset {
  kind: 'image' | 'points';
  info: DatasetInfo;
  train: DataSplit;
  test: DataSplit;
  /** One example's shape: [h, w, c] or [2]. */
  exampleShape: number[];
}

/** 0–255 pixels (or 0–1 floats) → [-1, 1], the range a tanh generator produces. */
export function scalePixels(pixels: Uint8Array | Float32Array, unit: 255 | 1): Float32Array {
  const out = new Float32Array(pixels.length);
  const k = 2 / unit;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] * k - 1;
  return out;
}

async function loadImages(info: DatasetInfo, reader: AssetReader): Promise<LoadedDataset> {
  const manifest = await readManifest(reader);
  const asset = manifest.images[info.name];
  if (!asset) throw new Error(`the assets have no images "${info.name}": run \`npm run assets\``);
  const size = asset.shape.reduce((a, b) => a * b, 1);
  const split = async (s: typeof asset.train): Promise<DataSplit> => {
    const [images, labels] = await Promise.all([readChecked(reader, manifest, s.images), readChecked(reader, manifest, s.labels)]);
    if (images.byteLength !== s.count * size || labels.byteLength !== s.count) {
      throw new Error(`asset "${s.images}" does not hold ${s.count} images of ${asset.shape.join('×')}: run \`npm run assets\``);
    }
    return { x: scalePixels(new Uint8Array(images), 255), labels: new Uint8Array(labels), count: s.count };
  };
  const [train, test] = await Promise.all([split(asset.train), split(asset.test)]);
  return { kind: 'image', info, train, test, exampleShape: [...asset.shape] };
}

function loadPoints(info: DatasetInfo, settings: PointSettings): LoadedDataset {
  if (!isProcedural(info.name)) throw new Error(`no generator for the points dataset "${info.name}"`);
  const train = generatePoints(info.name, PROCEDURAL_TRAIN, PROCEDURAL_SEEDS.train, settings);
  const test = generatePoints(info.name, PROCEDURAL_TEST, PROCEDURAL_SEEDS.test, settings);
  return { kind: 'points', info, train, test, exampleShape: [...info.shape] };
}

/**
 * A built-in image or points dataset, loaded once per reader (and, for points, per settings) and
 * cached. `settings` sizes the ring and grid; images ignore it.
 */
export function loadDataset(name: string, reader: AssetReader, settings: PointSettings = PUBLISHED_POINTS): Promise<LoadedDataset> {
  const info = DATASETS[name];
  const key = info?.kind === 'points' ? `data:${name}:${JSON.stringify(settings)}` : `data:${name}`;
  return cachedLoad(reader, key, async () => {
    if (!info) throw new Error(`unknown dataset "${name}": expected one of ${Object.keys(DATASETS).join(', ')}`);
    if (info.kind === 'text') throw new Error(`dataset "${name}" is text: load it with loadTextDataset (runtime/data/text.ts)`);
    return info.kind === 'image' ? loadImages(info, reader) : loadPoints(info, settings);
  });
}
