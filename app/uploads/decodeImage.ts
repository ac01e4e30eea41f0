// Decodes an image file in the browser to RGBA bytes. Big photos are drawn smaller first (keeping
// their aspect) so that converting a few hundred of them does not hold gigabytes of pixels.
import type { Picture } from './imageUploads';

export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp';

export async function decodeImage(file: File, size: number): Promise<Picture> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name}: could not be decoded as an image (expected png, jpg or webp)`);
  }
  try {
    const k = Math.min(1, (4 * size) / Math.min(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * k));
    const height = Math.max(1, Math.round(bitmap.height * k));
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error(`${file.name}: this browser gave no 2-D canvas to decode it`);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    // A file chosen with its folder keeps the folder in its name: a labelled upload reads the class there.
    return { file: file.webkitRelativePath || file.name, rgba: ctx.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}
