// The attention heatmap's geometry: four heads of the longest shown sequence fit one dialog row,
// and a pointer position maps back to the query (row) and key (column) drawn there.
import { describe, expect, it } from 'vitest';
import { cellAt, heatColor, heatmapLayout } from '../../app/training/heatmap';
import { ATTENTION_MAX_LENGTH } from '../../runtime/worker/protocol';

describe('attention heatmap', () => {
  it('keeps four heads of the longest sequence within a 1180-pixel row', () => {
    const { size } = heatmapLayout(ATTENTION_MAX_LENGTH);
    expect(4 * size + 3 * 20).toBeLessThanOrEqual(1180);
    expect(heatmapLayout(ATTENTION_MAX_LENGTH).cell).toBeGreaterThanOrEqual(8);
  });

  it('maps a point to the cell under it, rows being queries and columns keys', () => {
    const T = 16;
    const l = heatmapLayout(T);
    const centre = (i: number) => l.margin + i * l.cell + l.cell / 2;
    expect(cellAt(l, T, centre(3), centre(7))).toEqual({ query: 7, key: 3 });
    expect(cellAt(l, T, centre(0), centre(T - 1))).toEqual({ query: T - 1, key: 0 });
    expect(cellAt(l, T, l.margin - 1, centre(2))).toBeNull();
    expect(cellAt(l, T, centre(2), l.size + 1)).toBeNull();
  });

  it('darkens with the weight, from white at zero', () => {
    const lum = (c: string) => c.match(/\d+/g)!.map(Number).reduce((a, b) => a + b, 0);
    expect(heatColor(0)).toBe('rgb(255, 255, 255)');
    expect(lum(heatColor(0.1))).toBeGreaterThan(lum(heatColor(0.5)));
    expect(lum(heatColor(0.5))).toBeGreaterThan(lum(heatColor(1)));
    expect(heatColor(2)).toBe(heatColor(1));
  });
});
