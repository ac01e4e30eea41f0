// Runs an exported project under torchrun, as its README says, with Debian's python3-torch.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TorchrunResult {
  stdout: string;
  /** losses.csv: one row a logged step, a column per objective. */
  losses: Record<string, number[]>;
  /** Each rank's parameter checksum, as train.py prints it. */
  checksums: Map<number, string>;
}

/**
 * torchrun 1.13 under Python 3.11 cannot parse its own default for --redirects and --tee ("0": the
 * Std flag it names is not found by iterating the IntFlag), so both are given: stderr to a log and
 * the console.
 */
const TORCHRUN_1_13 = ['--redirects', '2', '--tee', '2'];
/** The agent looks at its workers every 5 s by default, so each run would wait up to 5 s after its end. */
const MONITOR = ['--monitor_interval', '0.5'];

/** A port no one listens on now, for this run's rendezvous. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * `torchrun --standalone` on a port of its own: --standalone always rendezvous on port 29400, so two
 * runs on one machine would join each other's store (torchrun's docs say to give each its own port).
 */
export async function torchrun(dir: string, args: string[], procs = 2): Promise<TorchrunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  const rendezvous = ['--nnodes=1', '--rdzv_backend=c10d', `--rdzv_endpoint=localhost:${await freePort()}`, `--rdzv_id=${randomUUID()}`];
  const { stdout } = await promisify(execFile)(
    'torchrun',
    [...rendezvous, `--nproc_per_node=${procs}`, ...TORCHRUN_1_13, ...MONITOR, 'train.py', ...args],
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
