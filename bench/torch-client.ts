// Drives bench/torch/step.py (PyTorch on the CPU) over its JSON line protocol, so PyTorch's
// timing windows can alternate with tfjs's in one run. Null when /usr/bin/python3 cannot import torch.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const TORCH_PYTHON = '/usr/bin/python3';
// Some machines set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE to dodge bugs in old OpenBLAS builds; they slow
// a current one, so PyTorch runs without them (and with one BLAS thread: torch's own 2 threads).
const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...inherited } = process.env;
const ENV = { ...inherited, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '2' };

export interface TorchClient {
  version: string;
  threads: number;
  request(msg: object): Promise<Record<string, unknown>>;
  close(): void;
}

/** The torch version, or why it is unavailable. */
export function torchVersion(): { version?: string; reason?: string } {
  const r = spawnSync(TORCH_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { env: ENV, encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return { version: r.stdout.trim() };
  return { reason: r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`) };
}

export function startTorch(benchDir: string, version: string): TorchClient {
  const child: ChildProcessWithoutNullStreams = spawn(TORCH_PYTHON, [join(benchDir, 'torch', 'step.py')], { env: ENV });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  lines.on('line', (l) => waiting.shift()?.(l));
  return {
    version,
    threads: 2,
    request(msg) {
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error(`PyTorch worker exited: ${stderr.trim().slice(-500)}`));
        const onExit = () => reject(new Error(`PyTorch worker exited: ${stderr.trim().slice(-500)}`));
        child.once('exit', onExit);
        waiting.push((line) => {
          child.off('exit', onExit);
          resolve(JSON.parse(line) as Record<string, unknown>);
        });
        child.stdin.write(JSON.stringify(msg) + '\n');
      });
    },
    close() {
      child.stdin.end();
    },
  };
}
