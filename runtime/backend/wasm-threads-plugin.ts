// Build-time fixes that let tfjs-backend-wasm 4.22 run on every core in a bundled app. It has to
// run in every bundling pass that sees the threaded emscripten file: the build, the worker build
// and the dev optimizer.
//
// 1. tfjs hands each pthread worker `'var WasmBackendModuleThreadedSimd = ' + factory.toString()`
//    as the script to import. Once bundled (wrapped as CommonJS, then minified) the factory's own
//    text refers to names that live outside it, so every worker throws `ReferenceError` and
//    setBackend('wasm') never settles. The factory gets a toString that returns the emscripten
//    file as shipped, wrapped so it defines the factory in a worker's global scope. The bundle
//    still runs its own copy; only the workers' script changes.
// 2. The backend's C++ caps its XNNPACK pool at navigator.hardwareConcurrency / 2 (it assumes two
//    hyperthreads a core), whatever setThreadsCount asks: one thread on a 2-core machine. The
//    core count it reads is doubled, so the cap becomes every logical core and setThreadsCount
//    decides (the pool still stops at the 8 workers the build pre-creates).
import type { Plugin } from 'vite';

const THREADED_FACTORY = /[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

const CORES_FN = 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}';
const CORES_FN_DOUBLED = 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return 2*navigator["hardwareConcurrency"]}';

/** The shipped factory file as one expression whose value is the factory, for a classic worker script. */
function workerFactorySource(shipped: string): string {
  return `(function () {\n${shipped}\n;return WasmBackendModuleThreadedSimd;\n})()`;
}

/** The shipped file plus a toString returning its verbatim text (null when `id` is another file). */
export function patchThreadedFactory(code: string, id: string): string | null {
  if (!THREADED_FACTORY.test(id.split('?')[0])) return null;
  for (const expected of ['var WasmBackendModuleThreadedSimd', CORES_FN]) {
    if (!code.includes(expected)) {
      throw new Error(`${id}: expected emscripten's '${expected.slice(0, 60)}…'; the tfjs-backend-wasm release changed`);
    }
  }
  const patched = code.replace(CORES_FN, CORES_FN_DOUBLED);
  const text = JSON.stringify(workerFactorySource(patched));
  return `${patched}\n;WasmBackendModuleThreadedSimd.toString = function () { return ${text}; };\n`;
}

export function wasmThreadsPlugin(): Plugin {
  return {
    name: 'genloom:tfjs-wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      const out = patchThreadedFactory(code, id);
      return out === null ? null : { code: out, map: null };
    },
  };
}
