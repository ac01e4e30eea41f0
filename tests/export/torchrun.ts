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

export async function torchrun(dir: string, args: string[], procs = 2): Promise<TorchrunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  const { stdout } = await promisify(execFile)(
    'torchrun',
    [...(await torchrunLauncher(procs, randomUUID())), 'train.py', ...args],
    { cwd: dir, env, maxBuffer: 64 * 2 ** 20 },
  );
  const [header, ...rows] = (await readFile(join(dir, 'out', 'losses.csv'), 'utf8')).trim().split('\n');
  const keys = header.split(',').slice(1);
  const losses: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (const row of rows) row.split(',').slice(1).forEach((v, i) => losses[keys[i]].push(Number(v)));
  const checksums = new Map<number, string>();
  // Only the number: the ranks' teed lines can run together (another rank's text right after it).
  for (const m of stdout.matchAll(/rank (\d+) parameter checksum ([-+]?\d\.\d+e[-+]\d+)/g)) checksums.set(Number(m[1]), m[2]);
  return { stdout, losses, checksums };
}
