// The example graphs shipped in examples/*.json, checked by the same loader users' files go through.
import { parseGraph } from '../runtime/graph/load';
import type { GraphDocument } from '../runtime/graph/document';
import type { Diagnostic } from '../runtime/graph/diagnostics';

export interface Example {
  id: string;
  name: string;
  description: string;
  doc: GraphDocument | null;
  problems: Diagnostic[];
}

const modules = import.meta.glob('/examples/*.json', { eager: true }) as Record<string, { default: unknown }>;

export const EXAMPLES: Example[] = Object.entries(modules)
  .map(([path, mod]) => {
    const id = path.replace(/^.*\/|\.json$/g, '');
    const { doc, diagnostics } = parseGraph(mod.default);
    const raw = (mod.default ?? {}) as { name?: unknown; description?: unknown };
    return {
      id,
      name: doc?.name ?? (typeof raw.name === 'string' ? raw.name : id),
      description: doc?.description ?? (typeof raw.description === 'string' ? raw.description : ''),
      doc,
      problems: diagnostics.filter((d) => d.severity === 'error'),
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
