import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { wasmThreadsPlugin } from './runtime/backend/wasm-threads-plugin.ts';
import { CSP, cspPlugin } from './scripts/csp.ts';

/** Training runs of over a minute: the slow tier, `npm run test:learning`. */
export const LONG_TESTS = 'tests/**/*.long.test.ts';

// Cross-origin isolation lets the WASM backend use SharedArrayBuffer threads where the browser allows.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), wasmThreadsPlugin(), cspPlugin()],
  server: { headers: isolation, port: 5173, strictPort: false },
  preview: { headers: { ...isolation, 'Content-Security-Policy': CSP }, port: 4173 },
  // The trainer worker is bundled in its own pass, which does not use the plugins above.
  worker: { format: 'es', plugins: () => [wasmThreadsPlugin()] },
  // tfjs-backend-wasm must be pre-bundled: unbundled, its CommonJS emscripten glue (and tfjs-core's
  // `long`) fail to import in dev. Its .wasm files come from `?url` imports in runtime/backend.
  // The dev pre-bundle needs the threads fix too (runtime/backend/wasm-threads-plugin.ts).
  // Named here because only workers import it: found late, on a fresh install, the optimizer
  // re-bundled and reloaded the page under a running worker, which then never answered.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'], rolldownOptions: { plugins: [wasmThreadsPlugin()] } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // `npm run test:learning` (vitest.learning.config.ts) runs the long ones, so `npm test` stays short.
    exclude: ['tests/e2e/**', LONG_TESTS, 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on the 2-core machines: half the files wait on imports, not the CPU
    // (3.5 minutes for the tier against 6 one at a time).
    maxWorkers: 2,
  },
});
