// Training runs kept in the browser: what each run trained (graph, steps, last losses), its loss
// curve, and the checkpoint it started from, so runs can be listed, compared and traced to their
// parents after a reload.
import { EVAL_PREFIX, type LossHistory } from '../training/history';
import { Listeners, Serial, type KeyValue } from './shelf';

export interface RunCurve {
  steps: number[];
  series: [string, (number | null)[]][];
}

export interface RunParent {
  checkpoint: string;
  /** The run the checkpoint was taken from, when it is known here. */
  run: string | null;
  graphName: string;
  step: number;
  /** 'resume' continues the same graph exactly; 'fine-tune' moved the weights into another. */
  how: 'resume' | 'fine-tune';
}

export interface RunRecord {
  id: string;
  name: string;
  graphName: string;
  graphHash: string;
  startedAt: number;
  updatedAt: number;
  /** The step it started from (a resumed run starts where its checkpoint left off). */
  fromStep: number;
  step: number;
  /** The last training losses, and the last held-out ones. */
  finalLosses: Record<string, number>;
  heldOut: Record<string, number>;
  parent: RunParent | null;
  curve: RunCurve;
}

/** Runs kept; the oldest go first. */
export const MAX_RUNS = 40;
/** Rows of a stored curve: enough to draw it, small enough to keep forty. */
export const CURVE_ROWS = 400;

const KEY = 'runs';

/** The curve thinned evenly to at most `rows` rows, always keeping the last. */
export function compactCurve(h: LossHistory, rows = CURVE_ROWS): RunCurve {
  const n = h.steps.length;
  const keep = n <= rows ? h.steps.map((_, i) => i) : Array.from({ length: rows }, (_, i) => Math.round((i * (n - 1)) / (rows - 1)));
  return { steps: keep.map((i) => h.steps[i]), series: [...h.series].map(([k, col]) => [k, keep.map((i) => col[i])]) };
}

/** The latest value of each series: training losses, and held-out ones apart. */
export function lastValues(h: LossHistory): { losses: Record<string, number>; heldOut: Record<string, number> } {
  const losses: Record<string, number> = {};
  const heldOut: Record<string, number> = {};
  for (const [key, col] of h.series) {
    for (let i = col.length - 1; i >= 0; i--) {
      const v = col[i];
      if (v == null) continue;
      if (key.startsWith(EVAL_PREFIX)) heldOut[key.slice(EVAL_PREFIX.length)] = v;
      else losses[key] = v;
      break;
    }
  }
  return { losses, heldOut };
}

/** The runs that started from a checkpoint of `run`. */
export function childrenOf(runs: readonly RunRecord[], run: string): RunRecord[] {
  return runs.filter((r) => r.parent?.run === run);
}

export class RunShelf {
  readonly changes = new Listeners();
  private readonly edits = new Serial();

  constructor(private readonly kv: KeyValue) {}

  async list(): Promise<RunRecord[]> {
    const v = await this.kv.get(KEY);
    return Array.isArray(v) ? (v as RunRecord[]) : [];
  }

  /** Adds the run or replaces the stored one with the same id. */
  save(run: RunRecord): Promise<void> {
    return this.edits.run(async () => {
      const runs = [...(await this.list()).filter((r) => r.id !== run.id), run].sort((a, b) => a.startedAt - b.startedAt);
      await this.kv.set(KEY, runs.slice(Math.max(0, runs.length - MAX_RUNS)));
      this.changes.notify();
    });
  }

  remove(id: string): Promise<void> {
    return this.edits.run(async () => {
      await this.kv.set(KEY, (await this.list()).filter((r) => r.id !== id));
      this.changes.notify();
    });
  }
}
