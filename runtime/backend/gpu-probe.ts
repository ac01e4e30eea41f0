// Does this machine have a real GPU? Headless and GPU-less browsers hand out SwiftShader or
// llvmpipe contexts, on which WebGL/WebGPU are 10–30× slower than wasm (PLATFORM.md).
// Works on the main thread and in workers (OffscreenCanvas); never throws.

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen|lavapipe/i;

export interface GpuProbe {
  /** WebGL's unmasked renderer string, or null without a WebGL context. */
  webglRenderer: string | null;
  webglIsSoftware: boolean;
  /** WebGPU adapter found and not a software fallback. */
  webgpuHardware: boolean;
  webgpuDescription: string | null;
}

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

function webglRenderer(): string | null {
  try {
    const canvas: OffscreenCanvas | HTMLCanvasElement | null =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : typeof document !== 'undefined'
          ? document.createElement('canvas')
          : null;
    if (!canvas) return null;
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof renderer === 'string' ? renderer : null;
  } catch {
    return null;
  }
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

async function webgpuAdapter(): Promise<{ hardware: boolean; description: string | null }> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return { hardware: false, description: null };
  try {
    const adapter = (await gpu.requestAdapter()) as
      | { info?: AdapterInfoLike; isFallbackAdapter?: boolean }
      | null;
    if (!adapter) return { hardware: false, description: null };
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
    return { hardware: !fallback && !isSoftwareRenderer(description), description };
  } catch {
    return { hardware: false, description: null };
  }
}

export async function probeGpu(): Promise<GpuProbe> {
  const renderer = webglRenderer();
  const gpu = await webgpuAdapter();
  return {
    webglRenderer: renderer,
    webglIsSoftware: renderer === null || isSoftwareRenderer(renderer),
    webgpuHardware: gpu.hardware,
    webgpuDescription: gpu.description,
  };
}
