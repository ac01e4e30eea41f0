// What training runs on and why, in the panel rather than only in a tooltip: the chosen backend's
// reason (including a fallback from WebGPU or WebGL), and a warning when WebGL is software-rendered.
import { useEffect, useState } from 'react';
import { probeGpu } from '../../runtime/backend/gpu-probe';
import { useTraining } from './trainingStore';

/** The WebGL renderer when it is a software one (SwiftShader, llvmpipe), probed once per page. */
function useSoftwareWebgl(active: boolean): string | null {
  const [renderer, setRenderer] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    let live = true;
    void probeGpu().then((p) => live && setRenderer(p.webglIsSoftware ? (p.webglRenderer ?? 'a software renderer') : null));
    return () => void (live = false);
  }, [active]);
  return active ? renderer : null;
}

/** The reason without device strings in brackets (kept in the tooltip), but with any fallback note. */
export function shortReason(reason: string): string {
  let out = reason;
  for (let i = 0; i < 8 && /\([^()]*\)/.test(out); i++) out = out.replace(/\s*\(([^()]*)\)/g, (_m, inner: string) => (/failed/.test(inner) ? ` [${inner}]` : ''));
  return out.replace(/\[([^\]]*)\]/g, '($1)');
}

export function BackendNote() {
  const backend = useTraining((s) => s.backend);
  const pref = useTraining((s) => s.pref);
  const worker = useTraining((s) => s.worker);
  if (!backend) return worker === 'starting' ? <p className="gl-backend-note gl-muted">Starting the training worker…</p> : null;
  const fellBack = /failed/.test(backend.reason) || (pref !== 'auto' && backend.name !== pref);
  return (
    <div className="gl-backend-note" data-testid="backend-note">
      <p className={fellBack ? 'gl-warn' : 'gl-muted'} title={backend.reason}>Backend: {shortReason(backend.reason)}</p>
    </div>
  );
}

/** Shown above the chart: a software-rendered WebGL makes every step 10–30× slower than wasm. */
export function SoftwareWebglWarning() {
  const backend = useTraining((s) => s.backend);
  const pref = useTraining((s) => s.pref);
  const software = useSoftwareWebgl(backend?.name === 'webgl' || pref === 'webgl');
  if (!software || backend?.name !== 'webgl') return null;
  return (
    <p className="gl-train-warn" role="alert" data-testid="software-webgl">
      WebGL here is software-rendered ({software}): 10–30× slower than wasm. Choose “auto” or “wasm” in the top bar.
    </p>
  );
}
