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
  /** VAE: held-out examples the likelihood bounds are measured on. */
  heldOut?: number;
  prompt?: string;
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Conditional models: draw every sample of this class. */
  sampleClass?: number;
  /** Class-conditional diffusion: the classifier-free guidance scale. */
  guidance?: number;
  initWeights?: string;
  resume?: string;
  transfer?: string;
  /** With --transfer: which node of the file each listed node takes its weights from (`to=from,…`). */
  map?: string;
  saveEvery?: number;
  /** Node ids to lock for this run, comma-separated (added to the graph's own locks). */
  freeze?: string;
  /** Feedback graphs: rounds of sample, rate, fit the reward model, fine-tune after the base training. */
  rounds?: number;
  /** Bytes a training step may need (runtime/compiler/memory.ts). */
  memoryBudget?: number;
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
  --samples N        how many samples to draw and score (default: 2500 ring/grid points, 2048 other
                     points, 64 images plus 1000 more for the quality figures, 10 texts; a conditional GAN: classes²)
  --held-out N       VAE: test examples for the held-out −ELBO and bound (default 1000; at least the test
                     split's size measures each of its examples once)
  --sampler S        diffusion: ddpm or ddim (default: the noise schedule's)
  --sample-steps N   diffusion: reverse steps (default: the noise schedule's)
  --prompt TEXT      language models: the text each sample starts from
  --temperature T    language models: sampling temperature (default 1)
  --top-k K          language models: sample among the K likeliest characters (0: all)
  --top-p P          language models: sample from the likeliest characters holding P of the mass (1: all)
  --class C          conditional models: every sample of class C (default: one grid row per class)
  --guidance S       class-conditional diffusion: guidance scale, 0 unconditional, 1 conditional (default: the schedule's)
  --init-weights F   start from a weights.json written by an earlier run (fine-tuning)
  --resume F         continue exactly from a checkpoint.json of this graph (weights, optimizer, data, step)
  --transfer F       start from what fits of another run's weights.json or checkpoint.json, by node id
                     (another graph, another vocabulary); prints what was loaded, skipped and refused
  --map TO=FROM,...  with --transfer: node TO takes the weights of the file's node FROM instead of its
                     own id's (TO= with nothing after it keeps TO's fresh weights)
  --save-every N     also write checkpoint.json every N steps (it is always written at the end)
  --freeze IDS       lock these layer nodes or groups (comma-separated ids) as well as those the graph
                     locks: their weights stay exactly as loaded
  --rounds N         feedback graphs (a preferences node with a scripted rater): after the base
                     training, N rounds of sample, rate, fit the reward model and fine-tune; with
                     --init-weights the base is not trained again unless --steps is given
  --memory-budget M  refuse graphs whose training step needs more memory, e.g. 512M, 4G (default 2G)
  --quiet            no progress output
  --help             print this help`;

type Kind = 'int' | 'posint' | 'number' | 'string' | 'flag' | 'bytes';

/**
 * `max` keeps every number to what a run can do in a day and memory can hold; the graph-specific
 * limits (samples of its kind, a schedule's T, a prompt's characters) are checked once it compiles.
 */
const OPTIONS: Record<string, { key: keyof TrainArgs; kind: Kind; choices?: readonly string[]; max?: number }> = {
  '--steps': { key: 'steps', kind: 'posint', max: 1e8 },
  '--out': { key: 'out', kind: 'string' },
  '--backend': { key: 'backend', kind: 'string', choices: ['wasm', 'cpu'] },
  '--threads': { key: 'threads', kind: 'posint', max: 64 },
  '--batch': { key: 'batch', kind: 'posint', max: 1e6 },
  '--seed': { key: 'seed', kind: 'int', max: 2 ** 31 - 1 },
  '--sampler': { key: 'sampler', kind: 'string', choices: ['ddpm', 'ddim'] },
  '--sample-steps': { key: 'sampleSteps', kind: 'posint', max: 1e5 },
  '--samples': { key: 'samples', kind: 'posint', max: 1e5 },
  '--held-out': { key: 'heldOut', kind: 'posint', max: 1e6 },
  '--prompt': { key: 'prompt', kind: 'string', max: 10_000 },
  '--temperature': { key: 'temperature', kind: 'number', max: 100 },
  '--top-k': { key: 'topK', kind: 'int', max: 1e5 },
  '--top-p': { key: 'topP', kind: 'number', max: 1 },
  '--class': { key: 'sampleClass', kind: 'int', max: 1e5 },
  '--guidance': { key: 'guidance', kind: 'number', max: 100 },
  '--init-weights': { key: 'initWeights', kind: 'string' },
  '--resume': { key: 'resume', kind: 'string' },
  '--transfer': { key: 'transfer', kind: 'string' },
  '--map': { key: 'map', kind: 'string', max: 100_000 },
  '--save-every': { key: 'saveEvery', kind: 'posint', max: 1e8 },
  '--freeze': { key: 'freeze', kind: 'string', max: 100_000 },
  '--rounds': { key: 'rounds', kind: 'posint', max: 1e4 },
  '--memory-budget': { key: 'memoryBudget', kind: 'bytes' },
  '--quiet': { key: 'quiet', kind: 'flag' },
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "512M", "4G", "1.5GiB" or plain bytes → bytes. */
export function parseBytes(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(raw);
  if (!m) return undefined;
  const v = Number(m[1]) * UNITS[m[2].toLowerCase()];
  return Number.isFinite(v) && v >= 1 ? Math.round(v) : undefined;
}

export type ParsedArgs = { help: true } | { help: false; args: TrainArgs } | { help: false; errors: string[] };

function convert(name: string, kind: Kind, raw: string, choices?: readonly string[], max?: number): { value?: unknown; error?: string } {
  if (choices && !choices.includes(raw)) return { error: `${name} expects one of ${choices.join(', ')}, got "${raw}"` };
  if (kind === 'string') {
    if (max !== undefined && raw.length > max) return { error: `${name} takes at most ${max.toLocaleString('en-US')} characters, got ${raw.length.toLocaleString('en-US')}` };
    return { value: raw };
  }
  if (kind === 'bytes') {
    const b = parseBytes(raw);
    return b === undefined ? { error: `${name} expects a size such as 512M or 4G, got "${raw}"` } : { value: b };
  }
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) return { error: `${name} expects a number, got "${raw}"` };
  if (kind === 'int' && !Number.isInteger(n)) return { error: `${name} expects a whole number, got "${raw}"` };
  if (kind === 'posint' && !(Number.isInteger(n) && n >= 1)) return { error: `${name} expects a whole number ≥ 1, got "${raw}"` };
  if (max !== undefined && Math.abs(n) > max) return { error: `${name} expects at most ${max.toLocaleString('en-US')}, got "${raw}"` };
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
    const { value, error } = convert(name, spec.kind, raw, spec.choices, spec.max);
    if (error) errors.push(error);
    else (out as Record<string, unknown>)[spec.key] = value;
  }
  if (positional.length === 0) errors.push('missing the graph file (a .json exported from Genloom)');
  if (positional.length > 1) errors.push(`expected one graph file, got ${positional.length}: ${positional.join(', ')}`);
  if (out.temperature !== undefined && !(out.temperature > 0)) errors.push(`--temperature expects a number > 0, got ${out.temperature}`);
  if (out.threads !== undefined && out.threads > 1 && out.backend === 'cpu') errors.push('--threads applies to the wasm backend, not cpu');
  if (out.topK !== undefined && out.topK < 0) errors.push(`--top-k expects 0 or more, got ${out.topK}`);
  if (out.topP !== undefined && !(out.topP > 0 && out.topP <= 1)) errors.push(`--top-p expects a number in (0, 1], got ${out.topP}`);
  if (out.guidance !== undefined && out.guidance < 0) errors.push(`--guidance expects 0 or more, got ${out.guidance}`);
  if (errors.length) return { help: false, errors };
  return { help: false, args: { ...out, graph: positional[0] } as TrainArgs };
}
