// Checkpoints kept in the browser: each one's file under its own key, and a small index listing
// them, so a reload finds them again. Automatic ones are capped per graph; saved ones stay until
// deleted.
import { parseCheckpoint, type Checkpoint } from '../../runtime/train/checkpoint-file';
import { Listeners, Serial, type KeyValue } from './shelf';

export interface CheckpointInfo {
  id: string;
  graphName: string;
  graphHash: string;
  step: number;
  savedAt: number;
  /** The checkpoint the run started from. */
  parent: string | null;
  /** The run it was taken from (app/runs/runs.ts). */
  runId: string | null;
  losses: Record<string, number>;
  /** Written every N steps rather than by "Save checkpoint". */
  auto: boolean;
  /** Size of the stored file, in characters. */
  size: number;
}

/** Automatic checkpoints kept per graph; older ones are dropped as new ones come. */
export const MAX_AUTO_PER_GRAPH = 3;

const INDEX = 'index';
const bodyKey = (id: string) => `checkpoint:${id}`;

export class CheckpointShelf {
  readonly changes = new Listeners();
  private readonly edits = new Serial();

  constructor(private readonly kv: KeyValue) {}

  async list(): Promise<CheckpointInfo[]> {
    const index = await this.kv.get(INDEX);
    return Array.isArray(index) ? (index as CheckpointInfo[]) : [];
  }

  keep(ck: Checkpoint, info: { runId: string | null; auto: boolean }): Promise<CheckpointInfo> {
    return this.edits.run(async () => {
      const text = JSON.stringify(ck);
      const entry: CheckpointInfo = {
        id: ck.id,
        graphName: ck.graphName,
        graphHash: ck.graphHash,
        step: ck.step,
        savedAt: Date.now(),
        parent: ck.parent,
        runId: info.runId,
        losses: ck.losses,
        auto: info.auto,
        size: text.length,
      };
      // The file first: an index entry never names a checkpoint that is not there.
      await this.kv.set(bodyKey(ck.id), text);
      const index = [...(await this.list()).filter((c) => c.id !== ck.id), entry];
      const autos = index.filter((c) => c.auto && c.graphHash === ck.graphHash).sort((a, b) => a.savedAt - b.savedAt);
      const drop = new Set(autos.slice(0, Math.max(0, autos.length - MAX_AUTO_PER_GRAPH)).map((c) => c.id));
      await this.kv.set(INDEX, index.filter((c) => !drop.has(c.id)));
      for (const id of drop) await this.kv.del(bodyKey(id));
      this.changes.notify();
      return entry;
    });
  }

  /** The stored checkpoint; throws with the reason when it is missing or damaged. */
  async read(id: string): Promise<Checkpoint> {
    const text = await this.kv.get(bodyKey(id));
    if (typeof text !== 'string') throw new Error(`the checkpoint ${id} is no longer stored in this browser`);
    return parseCheckpoint(text);
  }

  remove(id: string): Promise<void> {
    return this.edits.run(async () => {
      await this.kv.set(INDEX, (await this.list()).filter((c) => c.id !== id));
      await this.kv.del(bodyKey(id));
      this.changes.notify();
    });
  }
}
