// The direction data flows in, for the cycle check on every wire and for the compiler's topological
// order. A group node is two vertices: its entry (its outer inputs, and the inner handle its inner
// nodes read from) and its exit (the inner handle its inner network writes to, and its outer outputs),
// linked entry → exit. So a group's inner network is not a cycle (decision 0002).
//
// Vertices are numbers handed out here, never strings built from node ids, so no id a file holds
// (say one ending in "#out") can be mistaken for another node's vertex.
import type { AnyNodeDefinition } from '../../nodes/types';
import { groupSpec } from './ports';

/** One step of the order: a node, or for a group its entry or its exit. */
export interface Step {
  id: string;
  exit: boolean;
}

export class FlowGraph {
  private readonly entry = new Map<string, number>();
  private readonly defs = new Map<string, AnyNodeDefinition>();
  private readonly steps: Step[] = [];
  private readonly next: number[][] = [];

  /** Adds a node (a group adds two vertices); a second node with the same id is ignored. */
  addNode(id: string, def: AnyNodeDefinition): void {
    if (this.entry.has(id)) return;
    this.entry.set(id, this.vertex({ id, exit: false }));
    this.defs.set(id, def);
    if (groupSpec(def)) this.link(this.entry.get(id)!, this.vertex({ id, exit: true }));
  }

  has(id: string): boolean {
    return this.entry.has(id);
  }

  /** The vertex a wire leaves from: a group's exit, except for its inner input handle. */
  sourceVertex(id: string, handle: string): number {
    const v = this.entry.get(id)!;
    const g = groupSpec(this.defs.get(id)!);
    return g && handle !== g.innerInput ? v + 1 : v;
  }

  /** The vertex a wire arrives at: a group's entry, except for its inner output handle. */
  targetVertex(id: string, handle: string): number {
    const v = this.entry.get(id)!;
    const g = groupSpec(this.defs.get(id)!);
    return g && handle === g.innerOutput ? v + 1 : v;
  }

  link(from: number, to: number): void {
    this.next[from].push(to);
  }

  /** Node ids along a shortest path from `from` to `to` (consecutive repeats merged), or null. */
  path(from: number, to: number): string[] | null {
    const parent = new Map<number, number>([[from, -1]]);
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      if (v === to) {
        const ids: string[] = [];
        for (let u = v; u !== -1; u = parent.get(u)!) {
          const id = this.steps[u].id;
          if (ids[ids.length - 1] !== id) ids.push(id);
        }
        return ids.reverse();
      }
      for (const w of this.next[v]) {
        if (!parent.has(w)) {
          parent.set(w, v);
          queue.push(w);
        }
      }
    }
    return null;
  }

  /**
   * A topological order (Kahn's algorithm; document order breaks ties, so the order is stable across
   * edits), and the nodes it could not place because they are on or behind a cycle.
   */
  order(): { order: Step[]; stuck: string[] } {
    const indeg = new Array<number>(this.steps.length).fill(0);
    for (const ws of this.next) for (const w of ws) indeg[w]++;
    const queue: number[] = [];
    indeg.forEach((d, v) => d === 0 && queue.push(v));
    for (let head = 0; head < queue.length; head++) {
      for (const w of this.next[queue[head]]) if (--indeg[w] === 0) queue.push(w);
    }
    const stuck = new Set<string>();
    indeg.forEach((d, v) => d > 0 && stuck.add(this.steps[v].id));
    return { order: queue.map((v) => this.steps[v]), stuck: [...stuck] };
  }

  private vertex(step: Step): number {
    this.steps.push(step);
    this.next.push([]);
    return this.steps.length - 1;
  }
}
