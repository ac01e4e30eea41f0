// The bench's quick mode, run in-process on one small example: every field of the JSON it writes
// must be filled with finite positive numbers (the figures themselves are not asserted).
import { describe, expect, it } from 'vitest';
import { runBench, type ExampleResult } from '../../bench/bench';
import { markdownTable, HEADER } from '../../bench/table';

function positive(label: string, x: unknown): void {
  expect(typeof x, label).toBe('number');
  expect(Number.isFinite(x as number) && (x as number) > 0, `${label} = ${String(x)}`).toBe(true);
}

function checkTf(label: string, p: ExampleResult['compiled']): void {
  for (const k of ['stepsPerSecond', 'gflopsPerSecond', 'threads', 'steps', 'kernelsPerStep', 'tfPeakMB', 'loadToFirstStepMs'] as const)
    positive(`${label}.${k}`, p[k]);
}

describe('bench --quick', () => {
  it('fills every field for every example it runs', async () => {
    const r = await runBench({ quick: true, only: ['gan-ring', 'ddpm-2d'] });
    expect(r.mode).toBe('quick');
    expect(r.examples.map((e) => e.name)).toEqual(['gan-ring', 'ddpm-2d']);
    for (const k of ['cpu', 'node', 'tfjs', 'backend', 'torch'] as const) expect(r.machine[k].length, k).toBeGreaterThan(0);
    positive('cores', r.machine.cores);
    expect(r.machine.wasmThreads).toBe(1);
    for (const e of r.examples) {
      positive(`${e.name}.batchSize`, e.batchSize);
      positive(`${e.name}.gflopPerStep`, e.gflopPerStep);
      checkTf(`${e.name}.compiled`, e.compiled);
      if ('missing' in e.handwritten) throw new Error(`${e.name}: ${e.handwritten.missing}`);
      checkTf(`${e.name}.handwritten`, e.handwritten);
      positive(`${e.name}.compiledOverHandwritten`, e.compiledOverHandwritten);
      if ('missing' in e.torch) {
        // Allowed only when PyTorch is absent, and then the table must say why.
        expect(r.machine.torch).toMatch(/unavailable/);
        expect(e.genloomOverTorch).toBeNull();
      } else {
        positive(`${e.name}.torch.stepsPerSecond`, e.torch.stepsPerSecond);
        expect(e.torch.threads).toBe(2);
        positive(`${e.name}.genloomOverTorch`, e.genloomOverTorch);
      }
      expect(e.sampling.what.length).toBeGreaterThan(0);
      positive(`${e.name}.sampling.ms`, e.sampling.ms);
      positive(`${e.name}.rssPeakMB`, e.memory.rssPeakMB);
      positive(`${e.name}.tfPeakMB`, e.memory.tfPeakMB);
    }
    const md = markdownTable(r).split('\n').filter((l) => l.startsWith('| '));
    expect(md.length).toBe(1 + r.examples.length);
    for (const line of md) expect(line.split(' | ').length).toBe(HEADER.length);
  }, 180_000);
});
