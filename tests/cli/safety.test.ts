// Nothing trained is lost: bad options and output folders are refused before training, a diverging
// run writes its last good weights with its own exit code, a failure writing samples keeps the
// weights, and Ctrl-C at any moment writes what exists.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, type TrainArgs } from '../../runtime/cli/args';
import { EXIT } from '../../runtime/cli/exit-codes';
import { CliError, runTrain, type Interrupts, type RunResult } from '../../runtime/cli/run';
import { bundleFromJSON } from '../../runtime/cli/model-files';
import type { GraphDocument } from '../../runtime/graph/document';
import { vaeDoc } from '../compiler/docs';
import { example, smallRingGan } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'genloom-safety-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function argsFor(doc: GraphDocument, name: string, extra: string[], out = join(tmp, name)): TrainArgs {
  const graph = join(tmp, `${name}.json`);
  writeFileSync(graph, JSON.stringify(doc));
  const parsed = parseArgs([graph, '--backend', 'cpu', '--quiet', '--out', out, ...extra]);
  if (!('args' in parsed)) throw new Error(JSON.stringify(parsed));
  return parsed.args;
}

/**
 * A Ctrl-C the test presses. With `atWriting`, it is pressed right after the run, having stopped
 * training, first looks at the count: as the weights are being written.
 */
function fakeCtrlC(atWriting = false): Interrupts & { press(): void } {
  const listeners = new Set<() => void>();
  let n = 0;
  let armed = false;
  const i = {
    get count() {
      const c = n;
      if (armed) {
        armed = false;
        n++;
      }
      return c;
    },
    press() {
      n++;
      listeners.forEach((l) => l());
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
        armed = atWriting;
      };
    },
  };
  return i;
}

async function refusal(args: TrainArgs): Promise<{ error: CliError; ms: number }> {
  const t0 = performance.now();
  const sink = { write: () => true };
  try {
    await runTrain(args, { stdout: sink, stderr: sink });
  } catch (e) {
    if (e instanceof CliError) return { error: e, ms: performance.now() - t0 };
    throw e;
  }
  throw new Error('the run was not refused');
}

async function run(args: TrainArgs, interrupts?: Interrupts): Promise<RunResult & { stderr: string }> {
  let stderr = '';
  const result = await runTrain(args, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, interrupts });
  return { ...result, stderr };
}

const weightsStep = (out: string) => bundleFromJSON(readFileSync(join(out, 'weights.json'), 'utf8')).step;

describe('arguments checked before training', () => {
  it('bounds every number on the command line', () => {
    const p = parseArgs(['g.json', '--samples', '1e8', '--sample-steps', '1e9', '--steps', '1e300', '--memory-budget', 'lots']);
    expect('errors' in p && p.errors).toEqual([
      '--samples expects at most 100,000, got "1e8"',
      '--sample-steps expects at most 100,000, got "1e9"',
      '--steps expects at most 100,000,000, got "1e300"',
      '--memory-budget expects a size such as 512M or 4G, got "lots"',
    ]);
    expect(parseArgs(['g.json', '--memory-budget', '1.5G'])).toMatchObject({ args: { memoryBudget: 1.5 * 2 ** 30 } });
  });

  it('refuses more images than a grid can show, before training', async () => {
    const d = vaeDoc();
    const { error } = await refusal(argsFor(d, 'many-points', ['--samples', '100000', '--memory-budget', '1M']));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.lines.join('\n')).toMatch(/--samples: drawing 100,000 at once needs about .*over the memory budget of 1\.0 MiB/);
    expect(existsSync(join(tmp, 'many-points', 'weights.json'))).toBe(false);
  });

  it('refuses more reverse steps than the noise schedule has', async () => {
    const d = example('ddpm-2d');
    for (const n of d.nodes) if (n.type === 'dense' && Number(n.params.units) > 2) n.params.units = 8;
    const { error } = await refusal(argsFor(d, 'ddpm-steps', ['--sample-steps', '500']));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.lines).toEqual(['error: --sample-steps: the noise schedule "schedule" has T = 100 steps, so at most 100; got 500']);
  });

  it('refuses a prompt with characters outside the vocabulary, and language options on other graphs', async () => {
    const { error } = await refusal(argsFor(example('gpt-names'), 'gpt-prompt', ['--prompt', 'zoë!']));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.lines[0]).toMatch(/^error: --prompt: unknown characters "ë", "!"/);
    const other = await refusal(argsFor(smallRingGan(), 'ring-prompt', ['--prompt', 'a', '--sample-steps', '3']));
    expect(other.error.lines).toEqual([
      'error: --sample-steps applies to diffusion models (a graph with a noise schedule) only',
      'error: --prompt applies to language models only',
    ]);
  });

  it('refuses an output folder under a file, and one that cannot be made, at once', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const under = await refusal(argsFor(smallRingGan(), 'under-file', [], join(file, 'out')));
    expect(under.error.exitCode).toBe(EXIT.usage);
    expect(under.error.lines).toEqual([`error: --out: ${file} is a file, not a folder`]);
    const proc = await refusal(argsFor(smallRingGan(), 'proc', [], '/proc/genloom-x/y'));
    expect(proc.error.lines[0]).toMatch(/^error: --out: cannot create the folder \/proc\/genloom-x/);
    expect(proc.ms).toBeLessThan(5000);
  });

  it('refuses a graph over the memory budget with its own exit code', async () => {
    const { error } = await refusal(argsFor(smallRingGan(), 'budget', ['--memory-budget', '10K']));
    expect(error.exitCode).toBe(EXIT.memory);
    expect(error.lines.join('\n')).toMatch(/over the memory budget of 10 KiB/);
  });
});

describe('outputs that survive', () => {
  it('writes the last good weights of a diverging run and exits with the divergence code', async () => {
    const d = vaeDoc();
    d.training = { ...d.training, learningRate: 10, steps: 300, batchSize: 8 };
    const r = await run(argsFor(d, 'diverge', ['--quiet']));
    expect(r.exitCode).toBe(EXIT.diverged);
    const stopped = (r.metrics.steps as { to: number }).to;
    expect(stopped).toBeLessThan(300);
    expect(weightsStep(r.outDir)).toBe(stopped);
    const bundle = bundleFromJSON(readFileSync(join(r.outDir, 'weights.json'), 'utf8'));
    for (const a of Object.values(bundle.networks)) expect(new Float32Array(a.weightData).every(Number.isFinite)).toBe(true);
    expect(r.stderr).toMatch(/training diverged at step \d+: .*lower learning rate/);
    expect(existsSync(join(r.outDir, 'samples.json'))).toBe(true);
  });

  it('keeps the weights when the samples cannot be written', async () => {
    const out = join(tmp, 'blocked');
    mkdirSync(join(out, 'samples.png'), { recursive: true });
    const r = await run(argsFor(smallRingGan(), 'blocked', ['--steps', '2'], out));
    expect(r.exitCode).toBe(EXIT.writeFailed);
    expect(weightsStep(out)).toBe(2);
    expect(existsSync(join(out, 'models'))).toBe(true);
    expect(r.stderr).toMatch(/the samples could not be written \(cannot write .*samples\.png/);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).writeFailure).toMatch(/samples\.png/);
  });

  it('writes what was trained when Ctrl-C stops training', async () => {
    const ctrlC = fakeCtrlC();
    const d = smallRingGan();
    const args = argsFor(d, 'ctrl-c', ['--steps', '100000']);
    // Pressed from the first progress line: training has begun and is far from done.
    let stderr = '';
    const result = await runTrain({ ...args, quiet: false }, {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((stderr += s), /step +\d+\//.test(s) && ctrlC.count === 0 && ctrlC.press(), true) },
      interrupts: ctrlC,
    });
    expect(result.exitCode).toBe(EXIT.interrupted);
    const step = weightsStep(result.outDir);
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(100000);
    expect(existsSync(join(result.outDir, 'samples.png'))).toBe(true);
    expect(stderr).toMatch(/interrupted at step \d+; writing what was trained so far/);
  });

  it('keeps the weights and skips the samples when Ctrl-C comes as writing starts', async () => {
    const ctrlC = fakeCtrlC(true);
    const r = await run(argsFor(smallRingGan(), 'ctrl-c-write', ['--steps', '3']), ctrlC);
    expect(r.exitCode).toBe(EXIT.interrupted);
    expect(weightsStep(r.outDir)).toBe(3);
    expect(existsSync(join(r.outDir, 'metrics.json'))).toBe(true);
    expect(existsSync(join(r.outDir, 'samples.json'))).toBe(false);
    expect(r.stderr).toMatch(/interrupted while writing/);
  });

  it('leaves no temporary files behind', async () => {
    const r = await run(argsFor(smallRingGan(), 'clean', ['--steps', '1']));
    expect(r.exitCode).toBe(EXIT.ok);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(r.outDir).filter((f) => f.includes('.tmp-') || f.startsWith('.genloom'))).toEqual([]);
  });
});
