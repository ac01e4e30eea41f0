import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../runtime/cli/args';
import { formatDuration, ProgressReporter } from '../../runtime/cli/progress';
import type { ProgressEvent } from '../../runtime/train/events';

describe('command line', () => {
  it('reads every option, with = or a separate value', () => {
    const p = parseArgs(['g.json', '--steps', '20', '--out=o', '--backend', 'cpu', '--batch', '8', '--seed', '-3', '--sampler', 'ddim',
      '--sample-steps', '5', '--samples', '9', '--prompt', 'ab', '--temperature', '0.5', '--top-k', '3', '--init-weights', 'w.json', '--quiet']);
    expect(p).toEqual({ help: false, args: { graph: 'g.json', steps: 20, out: 'o', backend: 'cpu', batch: 8, seed: -3, sampler: 'ddim', sampleSteps: 5,
      samples: 9, prompt: 'ab', temperature: 0.5, topK: 3, initWeights: 'w.json', quiet: true } });
  });

  it('takes the class a conditional GAN samples', () => {
    expect(parseArgs(['g.json', '--class', '7'])).toEqual({ help: false, args: { graph: 'g.json', backend: 'wasm', sampleClass: 7, quiet: false } });
  });

  it('takes a guidance scale of 0 or more for class-conditional diffusion', () => {
    expect(parseArgs(['g.json', '--guidance', '0'])).toEqual({ help: false, args: { graph: 'g.json', backend: 'wasm', guidance: 0, quiet: false } });
    expect(parseArgs(['g.json', '--guidance', '2.5', '--class', '3'])).toEqual({ help: false, args: { graph: 'g.json', backend: 'wasm', guidance: 2.5, sampleClass: 3, quiet: false } });
    expect(parseArgs(['g.json', '--guidance', '-1'])).toEqual({ help: false, errors: ['--guidance expects 0 or more, got -1'] });
  });

  it('defaults to wasm and takes the graph after --', () => {
    expect(parseArgs(['--', 'g.json'])).toEqual({ help: false, args: { graph: 'g.json', backend: 'wasm', quiet: false } });
  });

  it('reports every mistake at once', () => {
    const p = parseArgs(['--steps', '0', '--batch', '2.5', '--temperature', '0', '--top-k', '-1', '--out', '--what']);
    expect('errors' in p && p.errors).toEqual([
      '--steps expects a whole number ≥ 1, got "0"',
      '--batch expects a whole number ≥ 1, got "2.5"',
      '--out needs a value',
      'unknown option --what',
      'missing the graph file (a .json exported from Genloom)',
      '--temperature expects a number > 0, got 0',
      '--top-k expects 0 or more, got -1',
    ]);
    expect(parseArgs(['g.json', '--backend', 'cpu', '--threads', '2'])).toEqual({ help: false, errors: ['--threads applies to the wasm backend, not cpu'] });
    expect(parseArgs(['g.json', '--threads', '2'])).toEqual({ help: false, args: { graph: 'g.json', backend: 'wasm', threads: 2, quiet: false } });
    expect(parseArgs(['a.json', 'b.json'])).toEqual({ help: false, errors: ['expected one graph file, got 2: a.json, b.json'] });
    expect(parseArgs(['x', '--help'])).toEqual({ help: true });
  });
});

describe('progress', () => {
  const ev = (step: number, total = 100): ProgressEvent => ({ type: 'progress', step, totalSteps: total, losses: { 'l.a': 0.5 }, stepsPerSecond: 10, elapsedMs: 0 });

  it('redraws one line on a terminal', () => {
    const out: string[] = [];
    const r = new ProgressReporter({ write: (s) => out.push(s), isTTY: true, columns: 200 }, 0);
    r.update(ev(10));
    r.update(ev(20));
    r.finish();
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out[1]).toBe('\rstep  20/100 [####................]  20%  l.a 0.5000  10.0 steps/s  ETA 8s\u001b[K');
    expect(out.at(-1)).toBe('\n');
  });

  it('prints a plain line every tenth of the run and on a timer otherwise', () => {
    const out: string[] = [];
    let now = 0;
    const r = new ProgressReporter({ write: (s) => out.push(s) }, 50, 10_000, () => now);
    for (let s = 51; s <= 150; s++) r.update(ev(s, 150));
    expect(out).toHaveLength(11);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out.at(-1)).toContain('step 150/150 100%');
    const quiet: string[] = [];
    const slow = new ProgressReporter({ write: (s) => quiet.push(s) }, 0, 10_000, () => now);
    slow.update(ev(1, 1000));
    slow.update(ev(2, 1000));
    now = 10_000;
    slow.update(ev(3, 1000));
    expect(quiet).toHaveLength(2);
  });

  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(125), formatDuration(7300), formatDuration(NaN)]).toEqual(['5s', '2m05s', '2h01m', '?']);
  });
});
