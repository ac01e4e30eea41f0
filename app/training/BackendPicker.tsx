// The compute backend in the top bar: what training runs on, why, and a choice to override it.
import { useEffect } from 'react';
import type { BackendPreference } from '../../runtime/backend/select-browser';
import { ensureWorker, setBackendPreference, useTraining } from './trainingStore';

const CHOICES: { value: BackendPreference; label: string }[] = [
  { value: 'auto', label: 'auto' },
  { value: 'wasm', label: 'wasm' },
  { value: 'webgl', label: 'webgl' },
  { value: 'webgpu', label: 'webgpu' },
  { value: 'cpu', label: 'cpu' },
];

export function BackendPicker() {
  const pref = useTraining((s) => s.pref);
  const backend = useTraining((s) => s.backend);
  const status = useTraining((s) => s.worker);
  useEffect(() => void ensureWorker(), []);
  const shown = status === 'starting' ? 'starting…' : status === 'failed' ? 'failed' : backend ? backend.name : '—';
  const title = backend ? backend.reason : status === 'failed' ? 'The training worker could not start; see the training panel' : 'Starting the training worker';
  return (
    <span className="gl-backend__pick" title={title}>
      <span data-testid="backend-name" data-backend={backend?.name ?? ''}>{shown}</span>
      <select
        className="gl-backend__select"
        value={pref}
        onChange={(e) => {
          const next = e.target.value as BackendPreference;
          if (next !== pref) setBackendPreference(next);
        }}
        aria-label="Choose the compute backend (restarts training)"
      >
        {CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label === 'auto' ? 'auto (fastest)' : c.label}</option>)}
      </select>
    </span>
  );
}
