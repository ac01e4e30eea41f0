// The curves picture and the "reaches the target at step" figure the fine-tuning examples quote.
import { describe, expect, it } from 'vitest';
import { CURVE_COLORS, curvesPlot, firstStepAtOrBelow } from '../../runtime/cli/curves';

describe('loss curves of several runs', () => {
  it('finds the first step at or below a target', () => {
    expect(firstStepAtOrBelow([25, 50, 75], [2.6, 2.3, 2.1], 2.3)).toBe(50);
    expect(firstStepAtOrBelow([25, 50], [2.6, 2.5], 2.3)).toBeNull();
  });

  it('draws each run in its colour, the lower curve lower in the picture', () => {
    const steps = [0, 50, 100];
    const r = curvesPlot([
      { steps, values: [3, 2.8, 2.6], color: CURVE_COLORS[0] },
      { steps, values: [2.4, 2.2, 2.0], color: CURVE_COLORS[1] },
    ], 200, 100);
    const rowsOf = (c: readonly number[]) => {
      const ys: number[] = [];
      const png = r.toPNG();
      expect(png.length).toBeGreaterThan(100);
      for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) if (r.data[(y * r.width + x) * 4] === c[0] && r.data[(y * r.width + x) * 4 + 1] === c[1] && r.data[(y * r.width + x) * 4 + 2] === c[2]) ys.push(y);
      return ys;
    };
    const grey = rowsOf(CURVE_COLORS[0]);
    const red = rowsOf(CURVE_COLORS[1]);
    expect(grey.length).toBeGreaterThan(50);
    expect(red.length).toBeGreaterThan(50);
    // Higher loss is drawn higher up (smaller y).
    expect(Math.max(...grey)).toBeLessThan(Math.min(...red));
  });
});
