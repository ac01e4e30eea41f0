// Which stored run the chart overlays on the current one (at most one, so two curves sit side by side).
import { useSyncExternalStore } from 'react';
import { Listeners } from './shelf';

let compared: string | null = null;
const changes = new Listeners();

export function compareWith(runId: string | null): void {
  compared = runId;
  changes.notify();
}

export function useCompared(): string | null {
  return useSyncExternalStore(changes.subscribe, () => compared);
}
