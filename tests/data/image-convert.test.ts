// Uploaded pictures become square training images: center-cropped, area-averaged, grey or RGB bytes.
import { describe, expect, it } from 'vitest';
import { convertImage, packImages } from '../../runtime/data/image-convert';
import { convertPictures, uploadNameOf, type Picture } from '../../app/uploads/imageUploads';

/** An RGBA picture whose pixel (x, y) is colour(x, y) = [r, g, b, a]. */
function picture(width: number, height: number, colour: (x: number, y: number) => number[]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(colour(x, y), (y * width + x) * 4);
  return out;
}

describe('convertImage', () => {
  it('averages 2×2 blocks when halving a picture', () => {
    // Left half white, right half black, 4×4 → 2×2.
    const rgba = picture(4, 4, (x) => (x < 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    expect(Array.from(convertImage(rgba, 4, 4, 2, 'grayscale'))).toEqual([255, 0, 255, 0]);
    // A checkerboard averages to mid grey everywhere.
    const checker = picture(4, 4, (x, y) => ((x + y) % 2 ? [200, 200, 200, 255] : [0, 0, 0, 255]));
    expect(Array.from(convertImage(checker, 4, 4, 2, 'grayscale'))).toEqual([100, 100, 100, 100]);
  });

  it('center-crops a wide picture to a square before resizing', () => {
    // 6×2 keeps columns 2–3 (green, blue); the red columns either side are cropped away.
    const col = [[255, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 0, 0], [255, 0, 0]];
    const wide = picture(6, 2, (x) => [...col[x], 255]);
    expect(Array.from(convertImage(wide, 6, 2, 2, 'rgb'))).toEqual([0, 255, 0, 0, 0, 255, 0, 255, 0, 0, 0, 255]);
    const tall = picture(2, 6, (_x, y) => [...col[y], 255]);
    expect(Array.from(convertImage(tall, 2, 6, 1, 'rgb'))).toEqual([0, 128, 128]);
  });

  it('uses Rec. 601 luma for grey and makes transparent areas black', () => {
    const red = picture(2, 2, () => [255, 0, 0, 255]);
    expect(Array.from(convertImage(red, 2, 2, 1, 'grayscale'))).toEqual([Math.round(0.299 * 255)]);
    const half = picture(2, 1, (x) => (x === 0 ? [255, 255, 255, 255] : [255, 255, 255, 0]));
    expect(Array.from(convertImage(half, 2, 1, 1, 'grayscale'))).toEqual([255]); // cropped to the opaque pixel
    const faded = picture(1, 1, () => [200, 100, 50, 51]);
    expect(Array.from(convertImage(faded, 1, 1, 1, 'rgb'))).toEqual([40, 20, 10]);
  });

  it('enlarges a small picture to the requested size', () => {
    const rgba = picture(2, 2, (x, y) => [x * 255, y * 255, 0, 255]);
    const out = convertImage(rgba, 2, 2, 4, 'rgb');
    expect(out.length).toBe(4 * 4 * 3);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(out.subarray(out.length - 3))).toEqual([255, 255, 0]);
  });

  it('explains RGBA data that does not match the size', () => {
    expect(() => convertImage(new Uint8Array(10), 2, 2, 2, 'rgb')).toThrow(/expected 2×2×4 = 16 RGBA values, got 10/);
    expect(() => convertImage(new Uint8Array(0), 0, 0, 2, 'rgb')).toThrow(/0×0/);
  });

  it('packs images one after another', () => {
    expect(Array.from(packImages([Uint8Array.of(1, 2), Uint8Array.of(3, 4)]))).toEqual([1, 2, 3, 4]);
    expect(() => packImages([Uint8Array.of(1, 2), Uint8Array.of(3)])).toThrow(/image 1 has 1 values, expected 2/);
  });
});

describe('convertPictures', () => {
  const grey = (file: string, v: number): Picture => ({ file, rgba: picture(3, 3, () => [v, v, v, 255]), width: 3, height: 3 });

  it('converts a set to count × size × size × channels bytes', () => {
    const set = convertPictures(Array.from({ length: 8 }, (_, i) => grey(`${i}.png`, i * 30)), 2, 'grayscale');
    expect(set).toMatchObject({ count: 8, size: 2, channels: 1 });
    expect(set.pixels.length).toBe(8 * 2 * 2);
    expect(Array.from(set.pixels.subarray(4 * 7, 4 * 8))).toEqual([210, 210, 210, 210]);
  });

  it('refuses fewer than 8 images and names a picture that does not convert', () => {
    expect(() => convertPictures([grey('a.png', 0), grey('b.png', 1)], 4, 'rgb')).toThrow(/got 2 images: upload at least 8/);
    const bad = { file: 'broken.webp', rgba: new Uint8Array(3), width: 1, height: 1 };
    expect(() => convertPictures([...Array.from({ length: 8 }, (_, i) => grey(`${i}.png`, 0)), bad], 4, 'rgb')).toThrow(/^broken\.webp: expected 1×1×4/);
  });

  it('names an upload after its first file', () => {
    expect(uploadNameOf(['cat.png', 'dog.png', 'owl.png'])).toBe('cat.png + 2 more');
    expect(uploadNameOf(['cat.png'])).toBe('cat.png');
  });
});
