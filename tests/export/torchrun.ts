// Runs an exported project under torchrun, as its README says, with Debian's python3-torch.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { torchrunLauncher } from '../../bench/torchrun';

export interface TorchrunResult {
  stdout: string;
  /** losses.csv: one row a logged step, a column per objective. */
  losses: Record<string, number[]>;
  /** Each rank's parameter checksum, as train.py prints it. */
  checksums: Map<number, string>;
}

/**
 * How long one run may take: the examples' 20 steps take 15–50 s. In the slow tier a run now and
 * then never ends (gpt-moby-dick twice, with a rank left polling gloo after the other had exited;
 * vae-mnist-binary once after the ranks met at a barrier before tearing down); a run that outlives
 * this is stopped, with what it printed last, and run once more, and the second hang fails the test.
 * The rendezvous port is now torchrun's own (bench/torchrun.ts), which closed a race but not the hang:
 * vae-mnist-16d hung once more after both ranks had printed their checksums, so it lies in the final
 * barrier, destroy_process_group or torchrun's own teardown (60 runs in a row alone did not hang).
 */
const RUN_TIMEOUT_MS = 180_000;

async function runOnce(dir: string, args: string[], procs: number): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  const { stdout } = await promisify(execFile)(
    'torchrun',
    [...torchrunLauncher(procs, randomUUID()), 'train.py', ...args],
    // torchrun stops its workers when it is sent SIGTERM.
    { cwd: dir, env, maxBuffer: 64 * 2 ** 20, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGTERM' },
  );
  return stdout;
}

export async function torchrun(dir: string, args: string[], procs = 2): Promise<TorchrunResult> {
  let stdout: string;
  try {
    stdout = await runOnce(dir, args, procs);
  } catch (e) {
    const stopped = e as { killed?: boolean; stdout?: string; stderr?: string };
    if (!stopped.killed) throw e;
    // What each rank printed last tells where the hang was (rendezvous, a step, the final files).
    const tail = (text = '') => text.trim().split('\n').slice(-8).join('\n    ');
    console.warn(
      `[torchrun] ${dir}: no end within ${RUN_TIMEOUT_MS / 1000} s, stopped; running it once more\n` +
        `  stdout:\n    ${tail(stopped.stdout)}\n  stderr:\n    ${tail(stopped.stderr)}`,
    );
    stdout = await runOnce(dir, args, procs);
  }
  const [header, ...rows] = (await readFile(join(dir, 'out', 'losses.csv'), 'utf8')).trim().split('\n');
  const keys = header.split(',').slice(1);
  const losses: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (const row of rows) row.split(',').slice(1).forEach((v, i) => losses[keys[i]].push(Number(v)));
  const checksums = new Map<number, string>();
  // Only the number: the ranks' teed lines can run together (another rank's text right after it).
  for (const m of stdout.matchAll(/rank (\d+) parameter checksum ([-+]?\d\.\d+e[-+]\d+)/g)) checksums.set(Number(m[1]), m[2]);
  return { stdout, losses, checksums };
}
