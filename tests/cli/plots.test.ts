import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { framesStrip, imageGrid, scatterPlot } from '../../runtime/cli/plots';
import type { SampleBatch } from '../../runtime/train/events';

const pixel = (png: { width: number; data: Uint8Array | Buffer }, x: number, y: number) => {
  const i = (y * png.width + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
};

describe('sample pictures', () => {
  it('tiles images in [-1, 1] into a grid that decodes as PNG', () => {
    // Two 2×2 grey images: all white (1) and all black (-1), then one mid-grey (0).
    const data = Float32Array.from([1, 1, 1, 1, -1, -1, -1, -1, 0, 0, 0, 0]);
    const batch: SampleBatch = { kind: 'images', count: 3, height: 2, width: 2, channels: 1, data };
    const grid = imageGrid(batch, 2, 3);
    const png = PNG.sync.read(grid.toPNG());
    // 2 columns, 2 rows of 6-px tiles with 2-px gaps around and between.
    expect([png.width, png.height]).toEqual([2 * 6 + 3 * 2, 2 * 6 + 3 * 2]);
    expect(pixel(png, 2, 2)).toEqual([255, 255, 255]);
    expect(pixel(png, 7, 7)).toEqual([255, 255, 255]);
    expect(pixel(png, 10, 2)).toEqual([0, 0, 0]);
    expect(pixel(png, 2, 10)).toEqual([128, 128, 128]);
    expect(pixel(png, 0, 0)).not.toEqual([255, 255, 255]);
  });

  it('draws colour images channel by channel', () => {
    const batch: SampleBatch = { kind: 'images', count: 1, height: 1, width: 1, channels: 3, data: Float32Array.from([1, -1, 0]) };
    const png = PNG.sync.read(imageGrid(batch, 1, 1).toPNG());
    expect(pixel(png, 2, 2)).toEqual([255, 0, 128]);
  });

  it('plots samples over the real points in an axes box', () => {
    const r = scatterPlot(Float32Array.from([0, 0]), Float32Array.from([2, 0, -2, 0]), 101, 4);
    const png = PNG.sync.read(r.toPNG());
    const at = (x: number, y: number) => pixel(png, x, y);
    const margin = Math.round(101 * 0.04);
    const inner = 101 - 2 * margin;
    const px = (v: number) => Math.round(margin + ((v + 4) / 8) * (inner - 1));
    const py = (v: number) => Math.round(margin + ((4 - v) / 8) * (inner - 1));
    const [sr, sg, sb] = at(px(0), py(0));
    expect(sr).toBeGreaterThan(150);
    expect(sg).toBeLessThan(100);
    expect(sb).toBeLessThan(100);
    const [gr, gg, gb] = at(px(2), py(0));
    expect(gr).toBe(gg);
    expect(gg).toBe(gb);
    expect(gr).toBeLessThan(230);
    expect(at(margin, 50)).toEqual([60, 60, 60]);
    expect(at(px(1), py(1))).toEqual([255, 255, 255]);
  });

  it('lays denoising frames left to right', () => {
    const frame = (v: number): SampleBatch => ({ kind: 'images', count: 2, height: 4, width: 4, channels: 1, data: new Float32Array(32).fill(v) });
    const strip = framesStrip([frame(-1), frame(0), frame(1)], 8);
    // Two samples (rows) by three frames (columns) of 16-px tiles (4 px scaled ×4).
    expect([strip.width, strip.height]).toEqual([3 * 16 + 4 * 2, 2 * 16 + 3 * 2]);
    const png = PNG.sync.read(strip.toPNG());
    expect(pixel(png, 2, 2)).toEqual([0, 0, 0]);
    expect(pixel(png, 2 + 2 * 18, 2 + 18)).toEqual([255, 255, 255]);
  });
});
