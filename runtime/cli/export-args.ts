// The export command's arguments: `npm run export -- <graph.json> --to pytorch --out DIR [--weights F]`.

export interface ExportArgs {
  graph: string;
  to: 'pytorch';
  out: string;
  /** A weights.json or checkpoint.json of this graph, for the project to start from. */
  weights?: string;
}

export const EXPORT_USAGE = `usage: npm run export -- <graph.json> --to pytorch --out DIR [--weights FILE]

Writes the graph as a PyTorch project that trains with torchrun (DistributedDataParallel).

options:
  --to pytorch       the target (PyTorch is the one there is)
  --out DIR          the project folder to write (made if missing)
  --weights FILE     a weights.json or checkpoint.json of this graph for the project to start from
  --help             print this help`;

export type ParsedExportArgs = { help: true } | { help: false; args: ExportArgs } | { help: false; errors: string[] };

const VALUED = { '--to': 'to', '--out': 'out', '--weights': 'weights' } as const;

export function parseExportArgs(argv: readonly string[]): ParsedExportArgs {
  const errors: string[] = [];
  const values: Partial<Record<'to' | 'out' | 'weights', string>> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { help: true };
    if (a === '--') continue;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const key = VALUED[name as keyof typeof VALUED];
    if (!key) {
      errors.push(`unknown option ${name}`);
      continue;
    }
    const raw = eq > 0 ? a.slice(eq + 1) : i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : undefined;
    if (raw === undefined || raw === '') errors.push(`${name} needs a value`);
    else values[key] = raw;
  }
  if (positional.length !== 1) errors.push(positional.length ? `expected one graph file, got ${positional.length}: ${positional.join(', ')}` : 'missing the graph file (a .json exported from Genloom)');
  if (values.to === undefined) errors.push('--to is required: --to pytorch');
  else if (values.to !== 'pytorch') errors.push(`--to expects pytorch, got "${values.to}"`);
  if (values.out === undefined) errors.push('--out is required: the folder to write the project to');
  if (errors.length) return { help: false, errors };
  return { help: false, args: { graph: positional[0], to: 'pytorch', out: values.out!, weights: values.weights } };
}
