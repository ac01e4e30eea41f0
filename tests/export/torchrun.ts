// Runs an exported project under torchrun, as its README says, with Debian's python3-torch.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { torchrunEnv, torchrunLauncher } from '../../bench/torchrun';

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
 * The stop report's stacks found it: a worker hung at interpreter exit in ~ProcessGroupGloo, reached
 * from DDP's ~Reducer, joining a gloo thread; train.py now leaves with os._exit after its last file.
 */
// GENLOOM_TORCHRUN_TIMEOUT_MS shortens it, to see the stop path's report on a run that is not hung.
const RUN_TIMEOUT_MS = Number(process.env.GENLOOM_TORCHRUN_TIMEOUT_MS ?? 180_000);

/** A run stopped for outliving RUN_TIMEOUT_MS, with what it printed and where its workers stood. */
class StoppedRun extends Error {
  constructor(readonly stdout: string, readonly stderr: string, readonly stacks: string) {
    super('torchrun run stopped');
  }
}

/** The function names of a process's main-thread native stack, through gdb when it is installed. */
function nativeStack(pid: string): string {
  try {
    const bt = execFileSync('gdb', ['-p', pid, '-batch', '-ex', 'thread 1', '-ex', 'bt 60'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    // Interpreter frames say nothing here; the torch, gloo and libc calls below them do.
    const names = [...bt.matchAll(/^#\d+\s+(?:0x[0-9a-f]+ in )?([^\s(]+)/gm)]
      .map((m) => m[1].replace(/^_+(GI_+)?/, ''))
      .filter((n) => !/^(Py|\?\?|method_vectorcall|cfunction_)/.test(n));
    return names.slice(0, 14).join(' < ') || '(no frames)';
  } catch {
    return 'no stack (gdb missing, or the process ended)';
  }
}

/**
 * Where a stopped run stood: torchrun's own main thread and each worker's still alive. A hung gloo
 * call shows which one it is (barrier, destroy_process_group), and no worker left means torchrun
 * itself had not ended; train.py is not changed for it.
 */
function whereItStood(torchrunPid: number): string {
  let workers: string[] = [];
  try {
    workers = execFileSync('pgrep', ['-P', String(torchrunPid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    // pgrep exits 1 when it finds none.
  }
  return [
    `torchrun ${torchrunPid}: ${nativeStack(String(torchrunPid))}`,
    ...(workers.length ? workers.map((pid) => `worker ${pid}: ${nativeStack(pid)}`) : ['no worker left']),
  ].join('\n    ');
}

async function runOnce(dir: string, args: string[], procs: number): Promise<string> {
  const child = spawn('torchrun', [...torchrunLauncher(procs, randomUUID()), 'train.py', ...args], { cwd: dir, env: torchrunEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let stacks: string | null = null;
  const timer = setTimeout(() => {
    stacks = whereItStood(child.pid ?? -1);
    // torchrun stops its workers when it is sent SIGTERM.
    child.kill('SIGTERM');
  }, RUN_TIMEOUT_MS);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  if (stacks !== null) throw new StoppedRun(stdout, stderr, stacks);
  if (code !== 0) throw new Error(`torchrun in ${dir} exited with code ${code}:\n${stderr.slice(-4000)}`);
  return stdout;
}

export async function torchrun(dir: string, args: string[], procs = 2): Promise<TorchrunResult> {
  let stdout: string;
  try {
    stdout = await runOnce(dir, args, procs);
  } catch (e) {
    if (!(e instanceof StoppedRun)) throw e;
    // What each rank printed last and where each worker stood tell where the hang was.
    const tail = (text: string) => text.trim().split('\n').slice(-8).join('\n    ');
    console.warn(
      `[torchrun] ${dir}: no end within ${RUN_TIMEOUT_MS / 1000} s, stopped; running it once more\n` +
        `  stdout:\n    ${tail(e.stdout)}\n  stderr:\n    ${tail(e.stderr)}\n  main threads:\n    ${e.stacks}`,
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
