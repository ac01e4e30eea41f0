// How values read on the canvas: params, parameter counts, problem counts.
export function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.join('×');
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
  return String(v);
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`;
}

export function paramsLabel(n: number | undefined): string | null {
  return n === undefined || n === 0 ? null : `${formatCount(n)} params`;
}
