// The Content-Security-Policy of the built app: scripts only from the app's own origin, no inline
// script and no eval. 'wasm-unsafe-eval' lets TensorFlow.js compile its WebAssembly; blob: lets
// its threaded build start the pthread workers it creates from Blob URLs (see
// docs/decisions/0008-content-security-policy.md). Sent as a header by `vite preview`, so that it
// also covers the worker scripts, and written into the built index.html as a meta tag, so that it
// travels with the files wherever they are served.
import type { Plugin } from 'vite';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  // React Flow and uPlot position elements with inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Adds the policy to the built index.html (not in dev: Vite's dev server injects inline scripts). */
export function cspPlugin(): Plugin {
  return {
    name: 'genloom-csp',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }];
    },
  };
}
