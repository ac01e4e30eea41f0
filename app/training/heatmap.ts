// Drawing one attention head as a labelled heatmap: query positions down, key positions across.

export interface HeatmapLayout {
  cell: number;
  /** Room for the row labels (left) and the column labels (top). */
  margin: number;
  size: number;
}

/** Cells that keep one character per row and column readable, up to 32 positions. */
export function heatmapLayout(length: number): HeatmapLayout {
  const cell = length <= 8 ? 22 : length <= 12 ? 17 : length <= 20 ? 13 : length <= 26 ? 10 : 8;
  const margin = 14;
  return { cell, margin, size: margin + cell * length };
}

/** White to the accent blue; the square root lifts the small weights of a spread-out head into view. */
export function heatColor(w: number): string {
  const a = Math.sqrt(Math.max(0, Math.min(1, w)));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * a);
  return `rgb(${mix(255, 38)}, ${mix(255, 82)}, ${mix(255, 190)})`;
}

/** Which cell a point in CSS pixels falls on, or null outside the grid. */
export function cellAt(layout: HeatmapLayout, length: number, x: number, y: number): { query: number; key: number } | null {
  const key = Math.floor((x - layout.margin) / layout.cell);
  const query = Math.floor((y - layout.margin) / layout.cell);
  return key >= 0 && key < length && query >= 0 && query < length ? { query, key } : null;
}

/**
 * Draws head `head` of `weights` ([heads, T, T]) with the characters along both axes. Keys after
 * the query (hidden by the causal mask) are drawn grey, apart from weights that are merely small.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, weights: Float32Array, head: number, tokens: string[]): void {
  const T = tokens.length;
  const layout = heatmapLayout(T);
  const { cell, margin, size } = layout;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(size * dpr);
  canvas.style.width = canvas.style.height = `${size}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size, size);
  const base = head * T * T;
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      ctx.fillStyle = j > i ? '#eef1f5' : heatColor(weights[base + i * T + j]);
      ctx.fillRect(margin + j * cell, margin + i * cell, cell, cell);
    }
  }
  ctx.strokeStyle = '#cfd6df';
  ctx.lineWidth = 1;
  ctx.strokeRect(margin - 0.5, margin - 0.5, cell * T + 1, cell * T + 1);
  ctx.fillStyle = '#1f2933';
  ctx.font = `${Math.min(12, cell)}px ui-monospace, Menlo, Consolas, monospace`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const show = (c: string) => (c === ' ' ? '␣' : c === '\n' ? '⏎' : c);
  tokens.forEach((c, k) => {
    const mid = margin + k * cell + cell / 2;
    ctx.fillText(show(c), mid, margin / 2);
    ctx.fillText(show(c), margin / 2, mid);
  });
}
