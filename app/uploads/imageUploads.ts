// Images the user uploads for dataset nodes: converted to the node's size and colour here, kept in
// IndexedDB (so a reload still trains), and handed to the worker before a graph that reads them is loaded.
import { set } from 'idb-keyval';
import type { GraphDocument } from '../../runtime/graph/document';
import { channelsOf, convertImage, packImages, type ImageColor } from '../../runtime/data/image-convert';
import { MIN_UPLOAD_IMAGES } from '../../nodes/data';
import { joinClasses, labelUploads } from '../../runtime/data/upload-labels';
import { uploadsFor, type UploadKind } from './uploadStore';

const IMAGES: UploadKind = {
  kind: 'images',
  key: (name) => `genloom-upload-images:${name}`,
  missing: (node, name) => `${node}: the uploaded images "${name}" are not in this browser: upload the images again`,
};

/** A decoded picture as the browser gives it: RGBA bytes row by row. */
export interface Picture {
  /** The file's name, or its path inside a chosen folder (`cats/01.png`), which a labelled upload reads its class from. */
  file: string;
  rgba: ArrayLike<number>;
  width: number;
  height: number;
}

export interface StoredImages {
  /** count × size × size × channels bytes. */
  pixels: Uint8Array;
  count: number;
  size: number;
  channels: number;
  /** A labelled upload: each image's class id, and the class names in id order. */
  labels?: Uint8Array;
  classes?: string[];
}

/** The name an upload is stored under: its first file, and how many came with it. */
export function uploadNameOf(files: string[]): string {
  const first = files[0] ?? 'images';
  return (files.length > 1 ? `${first} + ${files.length - 1} more` : first).slice(0, 200);
}

/**
 * Converts decoded pictures to one image set, labelled by folder or file name if asked; too few, one
 * that does not convert, or one that names no class is an error naming it.
 */
export function convertPictures(pictures: Picture[], size: number, color: ImageColor, labelled = false): StoredImages {
  if (pictures.length < MIN_UPLOAD_IMAGES)
    throw new Error(`got ${pictures.length} image${pictures.length === 1 ? '' : 's'}: upload at least ${MIN_UPLOAD_IMAGES} (png, jpg or webp)`);
  const labels = labelled ? labelUploads(pictures.map((p) => p.file)) : undefined;
  const images = pictures.map((p) => {
    try {
      return convertImage(p.rgba, p.width, p.height, size, color);
    } catch (err) {
      throw new Error(`${p.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return { pixels: packImages(images), count: images.length, size, channels: channelsOf(color), ...labels };
}

/** Converts and stores an upload; returns the params a dataset node records for it. */
export async function storeImages(
  pictures: Picture[],
  size: number,
  color: ImageColor,
  labelled = false,
): Promise<{ params: Record<string, unknown>; stored: StoredImages }> {
  const stored = convertPictures(pictures, size, color, labelled);
  const name = uploadNameOf(pictures.map((p) => p.file));
  await set(IMAGES.key(name), stored);
  const classes = joinClasses(stored.classes ?? []);
  return { params: { dataset: 'upload', uploadName: name, uploadSize: size, uploadColor: color, uploadCount: stored.count, uploadLabelled: labelled, uploadClasses: classes }, stored };
}

/** The uploaded image sets a graph reads, by name; a missing one is an error naming its node. */
export function imagesFor(doc: GraphDocument): Promise<Map<string, StoredImages>> {
  return uploadsFor<StoredImages>(doc, IMAGES);
}
