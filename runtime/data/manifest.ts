// The contract between scripts/build-assets.ts (writes public/assets/) and the loaders (read it).
// Bump ASSET_VERSION whenever the layout or the selection of examples changes: the build step then
// rebuilds, and loaders refuse stale files instead of misreading them.

export const ASSET_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'genloom.assets';

export interface ImageAssetSplit {
  count: number;
  /** count × h × w × c bytes, 0–255, row-major (NHWC). */
  images: string;
  /** count bytes, the class of each image. */
  labels: string;
}

export interface ImageAsset {
  shape: [number, number, number];
  classes: number;
  train: ImageAssetSplit;
  test: ImageAssetSplit;
  /** How the examples were chosen, for people reading the manifest. */
  note: string;
}

export interface TextAsset {
  /** UTF-8 text. */
  file: string;
  /** Length in UTF-16 code units, as JavaScript counts them. */
  chars: number;
  /** Line-based corpora: one entry per line. */
  lines?: number;
  note: string;
}

export interface AssetManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  /** The npm packages the assets were built from, with their versions. */
  sources: Record<string, string>;
  images: Record<string, ImageAsset>;
  texts: Record<string, TextAsset>;
  /** Byte size of every file, so a truncated asset is noticed. */
  bytes: Record<string, number>;
}

export function isCurrentManifest(value: unknown): value is AssetManifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<AssetManifest>;
  return m.format === MANIFEST_FORMAT && m.version === ASSET_VERSION && !!m.images && !!m.texts && !!m.bytes;
}
