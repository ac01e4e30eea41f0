// Backend choice: ranking by what the GPU probe finds, thread counts in the reason, activation
// timeouts and fallbacks, registration of the wasm training kernels, and the build fix for threads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build, type Rolldown } from 'vite';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, type GpuProbe } from '../../runtime/backend/gpu-probe';
import { initBrowserBackend, rankBackends, withThreads } from '../../runtime/backend/select-browser';
import { threadSupport } from '../../runtime/backend/start-wasm-browser';
import { setBackendWithin, type BackendName } from '../../runtime/backend/select';
import { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from '../../runtime/backend/wasm-kernels';
import { patchThreadedFactory, wasmThreadsPlugin } from '../../runtime/backend/wasm-threads-plugin';

const probe = (p: Partial<GpuProbe>): GpuProbe => ({
  webglRenderer: null, webglIsSoftware: true, webgpuHardware: false, webgpuDescription: null, ...p,
});
const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('software renderers', () => {
  it.each([SWIFTSHADER, 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Google SwiftShader', 'Microsoft Basic Render Driver'])(
    '%s is software', (r) => expect(isSoftwareRenderer(r)).toBe(true));
  it.each([NVIDIA, 'Apple M1', 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)'])(
    '%s is a GPU', (r) => expect(isSoftwareRenderer(r)).toBe(false));
});

describe('rankBackends', () => {
  const names = (r: [BackendName, string][]) => r.map(([n]) => n);

  it('auto on a software renderer picks wasm and says why', () => {
    const r = rankBackends('auto', probe({ webglRenderer: SWIFTSHADER, webglIsSoftware: true }), true);
    expect(names(r)).toEqual(['wasm', 'cpu']);
    expect(r[0][1]).toMatch(/^wasm: the GPU is a software renderer \(.*SwiftShader/);
  });
  it('auto without any GPU picks wasm', () => {
    expect(names(rankBackends('auto', probe({}), true))).toEqual(['wasm', 'cpu']);
  });
  it('auto on a real GPU prefers webgpu when its backend is loaded, then webgl, then wasm', () => {
    const gpu = probe({ webglRenderer: NVIDIA, webglIsSoftware: false, webgpuHardware: true, webgpuDescription: 'nvidia ampere' });
    expect(names(rankBackends('auto', gpu, true))).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(names(rankBackends('auto', gpu, false))).toEqual(['webgl', 'wasm', 'cpu']);
  });
  it('a software WebGPU fallback adapter is not a GPU', () => {
    const r = rankBackends('auto', probe({ webglRenderer: SWIFTSHADER, webgpuHardware: false, webgpuDescription: 'swiftshader' }), true);
    expect(names(r)[0]).toBe('wasm');
  });
  it('an explicit choice comes first and falls back to wasm, then cpu', () => {
    expect(names(rankBackends('webgl', probe({}), true))).toEqual(['webgl', 'wasm', 'cpu']);
    expect(names(rankBackends('cpu', probe({}), true))).toEqual(['cpu', 'wasm']);
    expect(rankBackends('webgl', probe({}), true)[1][1]).toContain('webgl failed to start');
  });
});

describe('thread counts in the reason', () => {
  it('follow the backend name, whatever punctuation comes next', () => {
    expect(withThreads('wasm: no GPU found', '2 threads')).toBe('wasm on 2 threads: no GPU found');
    expect(withThreads('wasm, as chosen', '8 threads')).toBe('wasm on 8 threads, as chosen');
    expect(withThreads('wasm; webgl failed to start', '1 thread (threaded wasm failed to start)'))
      .toBe('wasm on 1 thread (threaded wasm failed to start); webgl failed to start');
    expect(withThreads('wasm', '4 threads')).toBe('wasm on 4 threads');
  });
  it('leave a reason without a thread note alone', () => {
    expect(withThreads('webgl on NVIDIA', '')).toBe('webgl on NVIDIA');
  });
  it('every wasm reason rankBackends gives starts with "wasm", so the count can go in', () => {
    const all = [
      ...rankBackends('auto', probe({ webglRenderer: SWIFTSHADER }), true),
      ...rankBackends('auto', probe({ webglRenderer: NVIDIA, webglIsSoftware: false }), true),
      ...rankBackends('webgl', probe({}), true),
      ...rankBackends('wasm', probe({}), true),
    ].filter(([n]) => n === 'wasm');
    expect(all.length).toBe(4);
    for (const [, r] of all) expect(withThreads(r, '2 threads')).toMatch(/^wasm on 2 threads($|[,:;])/);
  });
  it('Node is not a cross-origin isolated page, so no threads are tried there', () => {
    const { cores, isolated } = threadSupport();
    expect(isolated).toBe(false);
    expect(cores).toBeGreaterThanOrEqual(1);
  });
});

describe('activation', () => {
  it('setBackendWithin gives up on a backend whose start never settles, leaving others usable', async () => {
    tf.registerBackend('never-starts', () => new Promise<tf.KernelBackend>(() => {}));
    const t0 = Date.now();
    expect(await setBackendWithin('never-starts' as BackendName, 200)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await setBackendWithin('cpu', 2000)).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
    tf.removeBackend('never-starts');
  });

  it('initBrowserBackend falls back to cpu, with a reason, when wasm cannot load its binaries', async () => {
    // Under Node the Vite asset URLs point at no file, so wasm fails to start.
    const info = await initBrowserBackend('wasm');
    expect(info.name).toBe('cpu');
    expect(info.threads).toBe(1);
    expect(info.reason).toContain('wasm failed to start');
  });
});

describe('registerWasmTrainingKernels', () => {
  it('registers every training kernel on wasm, and a second call changes nothing', () => {
    registerWasmTrainingKernels();
    const first = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc);
    expect(first.every((f) => typeof f === 'function')).toBe(true);
    registerWasmTrainingKernels();
    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc)).toEqual(first);
  });
  it('keeps the setup of shipped kernels it wraps, so they still work when wasm starts later', () => {
    registerWasmTrainingKernels();
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')?.setupFunc).toBeTypeOf('function');
    expect(tf.getKernel(tf.Tile, 'wasm')?.setupFunc).toBeTypeOf('function');
  });
});

// The build fix for tfjs-wasm threads: after a minified build, the script each pthread worker
// imports must still be emscripten's own text (with the core count doubled), defining the factory
// in the worker's global scope.
const ROOT = join(import.meta.dirname, '..', '..');
const FACTORY = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
const SHIPPED = readFileSync(FACTORY, 'utf8');

/** Bundles and minifies the factory as the app build does, and returns factory.toString(). */
async function minifiedFactoryText(withPlugin: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-threads-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, `import * as f from ${JSON.stringify(FACTORY)};\nexport const text = (f.default || f).toString();\n`);
    const out = (await build({
      configFile: false, root: dir, logLevel: 'silent',
      plugins: withPlugin ? [wasmThreadsPlugin()] : [],
      build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'out' } },
    })) as Rolldown.RolldownOutput[];
    const code = out[0].output[0].type === 'chunk' ? out[0].output[0].code : '';
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { text: string };
    return mod.text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a pthread worker does with the text: runs it as a classic script, then looks the factory up. */
function workerGlobalFactory(text: string): unknown {
  const worker: Record<string, unknown> = {};
  runInNewContext(`var WasmBackendModuleThreadedSimd = ${text}`, worker);
  return worker.WasmBackendModuleThreadedSimd;
}

describe('wasmThreadsPlugin', () => {
  it('leaves every other file alone', () => {
    expect(patchThreadedFactory(SHIPPED, '/x/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.js')).toBeNull();
    expect(patchThreadedFactory('export {}', '/x/src/main.ts')).toBeNull();
  });

  it('refuses a factory file it does not recognise, naming the file', () => {
    expect(() => patchThreadedFactory('module.exports = 1', FACTORY)).toThrow(/tfjs-backend-wasm-threaded-simd\.js.*release changed/);
  });

  it('after a minified build, the workers get emscripten\'s own text with the core count doubled', async () => {
    const text = await minifiedFactoryText(true);
    // Unmangled emscripten names prove the text is the shipped file, not the minified copy.
    expect(text).toContain('function GROWABLE_HEAP_I8(){if(wasmMemory.buffer!=buffer)');
    expect(text).toContain('return 2*navigator["hardwareConcurrency"]');
    const factory = workerGlobalFactory(text);
    expect(factory).toBeTypeOf('function');
    expect(String(factory)).toContain('WasmBackendModuleThreadedSimd.ready');
  });

  it('without it, the minified factory text is mangled (what made the workers throw)', async () => {
    const text = await minifiedFactoryText(false);
    expect(text).not.toContain('wasmMemory.buffer!=buffer');
  });
});
