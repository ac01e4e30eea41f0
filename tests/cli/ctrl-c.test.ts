// Ctrl-C in a terminal: the signal reaches the whole process group, training stops, what was trained
// is written, and the run exits with 130.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../runtime/cli/exit-codes';
import { ROOT, smallRingGan } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'genloom-ctrl-c-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Ctrl-C', () => {
  it('stops training, writes the weights and samples, and exits with 130', async () => {
    const graph = join(tmp, 'ring.json');
    writeFileSync(graph, JSON.stringify(smallRingGan()));
    const out = join(tmp, 'out');
    // Its own process group, as a terminal's foreground job, started as `npm run train` starts it: one
    // node process with tsx as a loader. (The tsx launcher gives its child 30 ms to answer a signal,
    // then kills it: a training step is longer than that.)
    const p = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/train.ts', graph, '--steps', '1000000', '--backend', 'cpu', '--out', out], {
      cwd: ROOT, detached: true, env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stderr = '';
    let sent = false;
    p.stderr.on('data', (d) => {
      stderr += d;
      // The first progress line: training has begun and is far from done.
      if (!sent && /step +\d+\/1000000/.test(stderr)) {
        sent = true;
        process.kill(-p.pid!, 'SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => p.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(stderr).toMatch(/interrupted at step \d+; writing what was trained so far/);
    expect(code).toBe(EXIT.interrupted);
    const step = JSON.parse(readFileSync(join(out, 'weights.json'), 'utf8')).step as number;
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(1_000_000);
    expect(existsSync(join(out, 'samples.png'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).interrupted).toBe(true);
  });
});
