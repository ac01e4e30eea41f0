// The exported PyTorch project's own speed: the example exported (runtime/export/pytorch) and trained
// under `torchrun` on 2 gloo processes, as its README says, reading the steps/s train.py reports for
// its training loop (startup, data loading and the final checkpoint left out).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { nodeAssets } from '../runtime/data/assets-node';
import { exportPytorch } from '../runtime/export/pytorch/project';
import { parseGraph } from '../runtime/graph/load';

export const TORCHRUN_PROCESSES = 2;

/**
 * torchrun's arguments for one local run of `procs` processes: a rendezvous on a port of its own (with
 * --standalone every run on a machine meets on port 29400 and would join another's store). Port 0 lets
 * the rendezvous store bind a free port itself: a port picked here and closed before torchrun binds it
 * could be taken in between, and torchrun then joins whoever holds it as a client; --redirects
 * and --tee given, since Debian's torchrun 1.13 under Python 3.11 cannot parse its own defaults for
 * them; and the workers looked at every 0.5 s, not 5 s, so a run ends when its workers do.
 */
export function torchrunLauncher(procs: number, id: string): string[] {
  return [
    '--nnodes=1', '--rdzv_backend=c10d', '--rdzv_endpoint=localhost:0', `--rdzv_id=${id}`,
    `--nproc_per_node=${procs}`, '--redirects', '2', '--tee', '2', '--monitor_interval', '0.5',
  ];
}

/**
 * The environment of torchrun's workers: one thread each, as the processes already share the cores, and
 * without the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE some machines set to dodge old OpenBLAS bugs, which slow
 * a current one.
 */
export function torchrunEnv(): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...env } = process.env;
  return { ...env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
}

/** Steps/s of `steps` steps of the exported graph at `path` under torchrun, one thread a process. */
export async function torchrunStepsPerSecond(path: string, steps: number): Promise<{ stepsPerSecond: number; steps: number } | { missing: string }> {
  const { doc } = parseGraph(readFileSync(path, 'utf8'));
  if (!doc) return { missing: 'the graph does not load' };
  const { files, diagnostics } = await exportPytorch(doc, nodeAssets);
  if (!files) return { missing: `not exported: ${diagnostics.find((d) => d.severity === 'error')?.message}` };
  const dir = mkdtempSync(join(tmpdir(), 'genloom-bench-torchrun-'));
  try {
    for (const [p, content] of files) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    const { stdout } = await promisify(execFile)(
      'torchrun',
      [...torchrunLauncher(TORCHRUN_PROCESSES, `bench-${process.pid}`), 'train.py', '--steps', String(steps), '--log-every', String(steps)],
      { cwd: dir, env: torchrunEnv(), maxBuffer: 64 * 2 ** 20 },
    );
    const m = /trained (\d+) steps in [\d.]+ s \(([\d.]+) steps\/s/.exec(stdout);
    return m ? { stepsPerSecond: Number(m[2]), steps: Number(m[1]) } : { missing: 'train.py reported no speed' };
  } catch (e) {
    return { missing: `torchrun failed: ${(e as Error).message.split('\n').slice(-3).join(' ')}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
