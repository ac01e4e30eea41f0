// Pictures of sample batches: image grids, 2-D scatter plots over the real data, and strips of
// denoising frames. Pure functions from numbers to a Raster.
import type { SampleBatch } from '../train/events';
import { Raster, type RGB } from './raster';

type Images = Extract<SampleBatch, { kind: 'images' }>;
type Points = Extract<SampleBatch, { kind: 'points' }>;

const GAP: RGB = [40, 40, 40];
const REAL: RGB = [150, 150, 150];
const SAMPLE: RGB = [214, 39, 40];
const AXES: RGB = [60, 60, 60];

/** Width and height of a samples scatter plot, in pixels. */
export const SCATTER_SIZE = 512;

/** Integer upscaling that keeps small images (MNIST) visible. */
export function defaultScale(height: number): number {
  return height <= 16 ? 4 : height <= 32 ? 2 : 1;
}

/** Image `index` of a batch as a raster; values in [-1, 1] map to 0…255. */
export function imageTile(b: Images, index: number, scale = 1): Raster {
  const { height: h, width: w, channels: c } = b;
  const r = new Raster(w * scale, h * scale);
  const base = index * h * w * c;
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(((v + 1) / 2) * 255)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = base + (y * w + x) * c;
      const rgb: RGB = c >= 3 ? [byte(b.data[p]), byte(b.data[p + 1]), byte(b.data[p + 2])] : [byte(b.data[p]), byte(b.data[p]), byte(b.data[p])];
      r.fillRect(x * scale, y * scale, scale, scale, rgb);
    }
  }
  return r;
}

/** Tiles laid out in a grid, `cols` across, `pad` pixels apart. */
export function tileGrid(tiles: Raster[], cols: number, pad = 2): Raster {
  if (tiles.length === 0) return new Raster(1, 1, GAP);
  const tw = tiles[0].width;
  const th = tiles[0].height;
  const rows = Math.ceil(tiles.length / cols);
  const out = new Raster(cols * tw + (cols + 1) * pad, rows * th + (rows + 1) * pad, GAP);
  tiles.forEach((t, i) => out.blit(t, pad + (i % cols) * (tw + pad), pad + Math.floor(i / cols) * (th + pad)));
  return out;
}

export function imageGrid(b: Images, cols = Math.ceil(Math.sqrt(b.count)), scale = defaultScale(b.height)): Raster {
  return tileGrid(Array.from({ length: b.count }, (_, i) => imageTile(b, i, scale)), cols);
}

/** Half-width of the square plotted: the real data's extent with a margin (the samples' if no real data). */
export function plotExtent(real: Float32Array, samples: Float32Array): number {
  const ref = real.length > 0 ? real : samples;
  let m = 0;
  for (const v of ref) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return Math.max(1, m * 1.25);
}

/**
 * Samples (coloured) over the real points (grey) in an axes box spanning [-extent, extent]² with
 * ticks at whole numbers. Points outside the box are not drawn.
 */
export function scatterPlot(samples: Float32Array, real: Float32Array, size = SCATTER_SIZE, extent = plotExtent(real, samples)): Raster {
  const r = new Raster(size, size);
  const margin = Math.round(size * 0.04);
  const inner = size - 2 * margin;
  const px = (v: number) => margin + ((v + extent) / (2 * extent)) * (inner - 1);
  const py = (v: number) => margin + ((extent - v) / (2 * extent)) * (inner - 1);
  r.strokeRect(margin, margin, inner, inner, AXES);
  if (extent <= 20) {
    const tick = Math.max(3, Math.round(size * 0.012));
    for (let k = Math.ceil(-extent); k <= Math.floor(extent); k++) {
      for (let t = 0; t < tick; t++) {
        r.set(px(k), margin + inner - 1 - t, AXES);
        r.set(px(k), margin + t, AXES);
        r.set(margin + t, py(k), AXES);
        r.set(margin + inner - 1 - t, py(k), AXES);
      }
    }
  }
  const dot = size >= 400 ? 2 : 1;
  const draw = (xy: Float32Array, c: RGB, alpha: number) => {
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const [x, y] = [xy[i], xy[i + 1]];
      if (!(Math.abs(x) < extent && Math.abs(y) < extent)) continue;
      r.fillRect(px(x) - (dot >> 1), py(y) - (dot >> 1), dot, dot, c, alpha);
    }
  };
  draw(real, REAL, 0.6);
  draw(samples, SAMPLE, 0.8);
  return r;
}

export function pointsPlot(b: Points, size = SCATTER_SIZE): Raster {
  return scatterPlot(b.data, b.real, size);
}

/**
 * Denoising frames left to right. Images: one row per sample (the first `rows`); points: one
 * scatter plot per frame, all on the axes of the last.
 */
export function framesStrip(frames: SampleBatch[], rows = 8): Raster {
  const last = frames[frames.length - 1];
  if (!last) return new Raster(1, 1, GAP);
  if (last.kind === 'images') {
    const n = Math.min(rows, last.count);
    const scale = defaultScale(last.height);
    const tiles: Raster[] = [];
    for (let i = 0; i < n; i++) for (const f of frames) tiles.push(imageTile(f as Images, i, scale));
    return tileGrid(tiles, frames.length);
  }
  if (last.kind === 'points') {
    const extent = plotExtent(last.real, last.data);
    return tileGrid(
      frames.map((f) => scatterPlot((f as Points).data, last.real, 200, extent)),
      frames.length,
    );
  }
  return new Raster(1, 1, GAP);
}
