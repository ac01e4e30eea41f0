// tfjs-backend-wasm's threaded build, started in Node. As shipped it cannot start there:
// - its pthread workers are Blob URLs, and Node's worker_threads only load files
//   (ERR_WORKER_PATH), so the worker script is written to a temporary file;
// - each worker imports the factory from a Blob holding `factory.toString()`, whose text (cut out of
//   tfjs's CommonJS bundle) refers to bundle-scoped names; the workers load the emscripten file as
//   shipped instead, the same build the bundle embeds;
// - the C++ side caps XNNPACK's pool at half the logical cores (it assumes two hyperthreads a
//   core), so on a 2-core machine it would run one thread whatever setThreadsCount asks; while the
//   backend starts, the core count it reads is doubled, and setThreadsCount decides.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/';

let workerFile: string | null = null;

/** The emscripten worker script, told to import the shipped factory file instead of the Blob. */
function writeWorkerFile(): string {
  if (workerFile) return workerFile;
  const { wasmWorkerContents } = require(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
  const factoryFile = require.resolve(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.js`);
  const redirect =
    '\n;(function () { var load = self.onmessage; self.onmessage = function (e) {' +
    ` if (e.data && e.data.cmd === 'load') e.data.urlOrBlob = ${JSON.stringify(factoryFile)}; return load(e); }; })();\n`;
  const dir = mkdtempSync(join(os.tmpdir(), 'genloom-wasm-'));
  workerFile = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  // As tfjs does for its Blob: the template literal turned the script's \n escapes into newlines.
  writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n') + redirect);
  return workerFile;
}

/**
 * Runs `start` (which must activate the wasm backend) with the patches above in place, and
 * removes them afterwards. The backend reads both only while it starts.
 */
export async function withNodeThreadSupport<T>(start: () => Promise<T>): Promise<T> {
  const file = writeWorkerFile();
  const createObjectURL = URL.createObjectURL.bind(URL);
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob) => (obj instanceof Blob && obj.type === 'application/javascript' ? file : createObjectURL(obj));
  os.cpus = () => {
    const real = cpus();
    return [...real, ...real];
  };
  try {
    return await start();
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}
