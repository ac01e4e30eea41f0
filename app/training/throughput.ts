// The arithmetic rate last measured on each backend (FLOP/s = a graph's FLOPs a step × its steps/s),
// kept in the browser so that any graph's time per step can be estimated before it is trained.
export interface Throughput {
  backend: string;
  flopsPerSecond: number;
  /** The graph it was measured on, and how fast that ran, to say where the figure comes from. */
  graph: string;
  stepsPerSecond: number;
}

const key = (backend: string) => `genloom.throughput.${backend}`;

export function loadThroughput(backend: string): Throughput | null {
  try {
    const raw = JSON.parse(localStorage.getItem(key(backend)) ?? 'null') as Partial<Throughput> | null;
    if (!raw || typeof raw.flopsPerSecond !== 'number' || !(raw.flopsPerSecond > 0)) return null;
    return { backend, flopsPerSecond: raw.flopsPerSecond, graph: String(raw.graph ?? ''), stepsPerSecond: Number(raw.stepsPerSecond ?? 0) };
  } catch {
    return null;
  }
}

export function saveThroughput(t: Throughput): void {
  try {
    localStorage.setItem(key(t.backend), JSON.stringify(t));
  } catch {
    // Private windows may refuse storage; the figure still applies to this page.
  }
}
