// Frozen weights on the canvas: a lock on the title bar of a locked node or group, and parameter
// counts split into trainable and frozen wherever a lock holds some of them.
import { formatCount, paramsLabel } from './format';

/** "12.5k params", "12.5k frozen", or "8k trainable · 4.5k frozen". */
export function countLabel(total: number | undefined, frozen: number | undefined): string | null {
  if (!frozen || !total) return paramsLabel(total);
  if (frozen >= total) return `${formatCount(total)} frozen`;
  return `${formatCount(total - frozen)} trainable · ${formatCount(frozen)} frozen`;
}

export function LockBadge({ locked, inherited }: { locked: boolean; inherited: boolean }) {
  if (!locked && !inherited) return null;
  const title = locked ? 'Frozen: these weights stay as loaded while the rest train' : 'Frozen by its group';
  return (
    <span className={`gl-node__lock${locked ? '' : ' is-inherited'}`} title={title} role="img" aria-label={title}>
      🔒
    </span>
  );
}
