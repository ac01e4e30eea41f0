// The command line of `npm run train`: parsed into plain options, every mistake reported at once.

export interface TrainArgs {
  graph: string;
  steps?: number;
  out?: string;
  backend: 'wasm' | 'cpu';
  threads?: number;
  batch?: number;
  seed?: number;
  sampler?: 'ddpm' | 'ddim';
  sampleSteps?: number;
  samples?: number;
  prompt?: string;
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Conditional GANs: draw every sample of this class. */
  sampleClass?: number;
  initWeights?: string;
  resume?: string;
  saveEvery?: number;
  quiet: boolean;
}

export const USAGE = `usage: npm run train -- <graph.json> [options]

Trains a Genloom graph headless and writes samples, metrics and the trained networks.

options:
  --steps N          training steps to run (default: the graph's training.steps)
  --out DIR          output folder (default: out/<graph file name>)
  --backend B        wasm (default) or cpu
  --threads N        wasm: threads for its matrix and convolution kernels (default 1)
  --batch N          batch size (default: the graph's training.batchSize)
  --seed N           training seed (default: the graph's training.seed)
  --samples N        how many samples to draw (default: 1000 points, 64 images, 10 texts; a conditional GAN: classes²)
  --sampler S        diffusion: ddpm or ddim (default: the noise schedule's)
  --sample-steps N   diffusion: reverse steps (default: the noise schedule's)
  --prompt TEXT      language models: the text each sample starts from
  --temperature T    language models: sampling temperature (default 1)
  --top-k K          language models: sample among the K likeliest characters (0: all)
  --top-p P          language models: sample from the likeliest characters holding P of the mass (1: all)
  --class C          conditional GANs: every sample of class C (default: one grid row per class)
  --init-weights F   start from a weights.json written by an earlier run (fine-tuning)
  --resume F         continue exactly from a checkpoint.json of this graph (weights, optimizer, data, step)
  --save-every N     also write checkpoint.json every N steps (it is always written at the end)
  --quiet            no progress output
  --help             print this help`;

type Kind = 'int' | 'posint' | 'number' | 'string' | 'flag';

const OPTIONS: Record<string, { key: keyof TrainArgs; kind: Kind; choices?: readonly string[] }> = {
  '--steps': { key: 'steps', kind: 'posint' },
  '--out': { key: 'out', kind: 'string' },
  '--backend': { key: 'backend', kind: 'string', choices: ['wasm', 'cpu'] },
  '--threads': { key: 'threads', kind: 'posint' },
  '--batch': { key: 'batch', kind: 'posint' },
  '--seed': { key: 'seed', kind: 'int' },
  '--sampler': { key: 'sampler', kind: 'string', choices: ['ddpm', 'ddim'] },
  '--sample-steps': { key: 'sampleSteps', kind: 'posint' },
  '--samples': { key: 'samples', kind: 'posint' },
  '--prompt': { key: 'prompt', kind: 'string' },
  '--temperature': { key: 'temperature', kind: 'number' },
  '--top-k': { key: 'topK', kind: 'int' },
  '--top-p': { key: 'topP', kind: 'number' },
  '--class': { key: 'sampleClass', kind: 'int' },
  '--init-weights': { key: 'initWeights', kind: 'string' },
  '--resume': { key: 'resume', kind: 'string' },
  '--save-every': { key: 'saveEvery', kind: 'posint' },
  '--quiet': { key: 'quiet', kind: 'flag' },
};

export type ParsedArgs = { help: true } | { help: false; args: TrainArgs } | { help: false; errors: string[] };

function convert(name: string, kind: Kind, raw: string, choices?: readonly string[]): { value?: unknown; error?: string } {
  if (choices && !choices.includes(raw)) return { error: `${name} expects one of ${choices.join(', ')}, got "${raw}"` };
  if (kind === 'string') return { value: raw };
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) return { error: `${name} expects a number, got "${raw}"` };
  if (kind === 'int' && !Number.isInteger(n)) return { error: `${name} expects a whole number, got "${raw}"` };
  if (kind === 'posint' && !(Number.isInteger(n) && n >= 1)) return { error: `${name} expects a whole number ≥ 1, got "${raw}"` };
  return { value: n };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const errors: string[] = [];
  const out: Partial<TrainArgs> = { backend: 'wasm', quiet: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return { help: true };
    if (!a.startsWith('--') || a === '--') {
      if (a !== '--') positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const spec = OPTIONS[name];
    if (!spec) {
      errors.push(`unknown option ${name}`);
      continue;
    }
    if (spec.kind === 'flag') {
      if (eq > 0) errors.push(`${name} takes no value`);
      (out as Record<string, unknown>)[spec.key] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq > 0) raw = a.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) raw = argv[++i];
    if (raw === undefined) {
      errors.push(`${name} needs a value`);
      continue;
    }
    const { value, error } = convert(name, spec.kind, raw, spec.choices);
    if (error) errors.push(error);
    else (out as Record<string, unknown>)[spec.key] = value;
  }
  if (positional.length === 0) errors.push('missing the graph file (a .json exported from Genloom)');
  if (positional.length > 1) errors.push(`expected one graph file, got ${positional.length}: ${positional.join(', ')}`);
  if (out.temperature !== undefined && !(out.temperature > 0)) errors.push(`--temperature expects a number > 0, got ${out.temperature}`);
  if (out.threads !== undefined && out.threads > 1 && out.backend === 'cpu') errors.push('--threads applies to the wasm backend, not cpu');
  if (out.topK !== undefined && out.topK < 0) errors.push(`--top-k expects 0 or more, got ${out.topK}`);
  if (out.topP !== undefined && !(out.topP > 0 && out.topP <= 1)) errors.push(`--top-p expects a number in (0, 1], got ${out.topP}`);
  if (errors.length) return { help: false, errors };
  return { help: false, args: { ...out, graph: positional[0] } as TrainArgs };
}
