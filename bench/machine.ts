// The machine a run was measured on.
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  loadAverage: string;
  node: string;
  tfjs: string;
  backend: string;
  wasmSimd: boolean;
  wasmThreads: number;
  torch: string;
  torchThreads: number | null;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(wasm: { simd: boolean; threads: number }, torch: string, torchThreads: number | null): MachineInfo {
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    load = 'unknown';
  }
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: load,
    node: process.version,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    wasmSimd: wasm.simd,
    wasmThreads: wasm.threads,
    torch,
    torchThreads,
  };
}
