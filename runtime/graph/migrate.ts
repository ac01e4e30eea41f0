// Old documents keep loading: each format change ships a migration that lifts a document one
// version up, and the loader applies them in order until the current GRAPH_VERSION.
import { GRAPH_VERSION } from './document';

export type RawDocument = Record<string, unknown>;

export interface Migration {
  from: number;
  to: number;
  /** Gets a private copy; may change it in place or return a new object. `version` is set afterwards. */
  up(doc: RawDocument): RawDocument;
}

/** Every migration of the graph format, oldest first. Version 1 is the first; none exist yet. */
export const MIGRATIONS: readonly Migration[] = [];

/** The versions that load: the current one and every one with a migration path to it. */
export function supportedVersions(migrations: readonly Migration[] = MIGRATIONS, target = GRAPH_VERSION): number[] {
  const ok = new Set([target]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const m of migrations) {
      if (ok.has(m.to) && !ok.has(m.from) && m.from < m.to) {
        ok.add(m.from);
        grew = true;
      }
    }
  }
  return [...ok].sort((a, b) => a - b);
}

export type MigrateResult = { doc: RawDocument; error?: undefined } | { doc?: undefined; error: string };

/** Lifts `doc` (version `doc.version`) to `target`. Never mutates the argument. */
export function migrate(doc: RawDocument, migrations: readonly Migration[] = MIGRATIONS, target = GRAPH_VERSION): MigrateResult {
  let version = doc.version as number;
  let cur: RawDocument = structuredClone(doc);
  while (version !== target) {
    const step = migrations.find((m) => m.from === version && m.to > m.from && m.to <= target);
    if (!step) return { error: `no migration from version ${version} to ${target}` };
    try {
      cur = step.up(cur);
    } catch (e) {
      return { error: `migrating from version ${step.from} to ${step.to} failed: ${(e as Error).message}` };
    }
    cur.version = step.to;
    version = step.to;
  }
  return { doc: cur };
}
