// Backend choice: ranking by what the GPU probe finds, activation timeouts and fallbacks, and
// registration of the wasm training kernels.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, type GpuProbe } from '../../runtime/backend/gpu-probe';
import { initBrowserBackend, rankBackends } from '../../runtime/backend/select-browser';
import { setBackendWithin, type BackendName } from '../../runtime/backend/select';
import { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from '../../runtime/backend/wasm-kernels';

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
    expect(r[0][1]).toContain('SwiftShader');
    expect(r[0][1]).toContain('single thread');
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
