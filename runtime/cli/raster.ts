// A minimal RGBA raster, encoded as PNG with pngjs: enough for sample grids and scatter plots.
import { PNG } from 'pngjs';

export type RGB = readonly [number, number, number];

export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.data.set([background[0], background[1], background[2], 255], i * 4);
  }

  set(x: number, y: number, c: RGB, alpha = 1): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k] * (1 - alpha) + c[k] * alpha);
  }

  fillRect(x: number, y: number, w: number, h: number, c: RGB, alpha = 1): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.set(x + i, y + j, c, alpha);
  }

  strokeRect(x: number, y: number, w: number, h: number, c: RGB): void {
    for (let i = 0; i < w; i++) {
      this.set(x + i, y, c);
      this.set(x + i, y + h - 1, c);
    }
    for (let j = 0; j < h; j++) {
      this.set(x, y + j, c);
      this.set(x + w - 1, y + j, c);
    }
  }

  /** Copies `src` with its top-left corner at (x, y). */
  blit(src: Raster, x: number, y: number): void {
    for (let j = 0; j < src.height; j++) {
      for (let i = 0; i < src.width; i++) {
        const s = (j * src.width + i) * 4;
        this.set(x + i, y + j, [src.data[s], src.data[s + 1], src.data[s + 2]]);
      }
    }
  }

  toPNG(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
}
