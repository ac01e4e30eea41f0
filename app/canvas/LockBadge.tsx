// Frozen weights on the canvas: a lock on the title bar of a locked node or group, and parameter
// counts split into trainable and frozen wherever a lock holds some of them.
import { formatCount, paramsLabel } from './format';

/** "12.5k params", "12.5k frozen", or "8k trainable · 4.5k frozen". */
export function countLabel(total: number | undefined, frozen: number | undefined): string | null {
  if (!frozen || !total) return paramsLabel(total);
  if (frozen >= total) return `${formatCount(total)} frozen`;
  return `${formatCount(total - frozen)} trainable · ${formatCount(frozen)} frozen`;
}

/**
 * A padlock drawn, not typed: the emoji rendered as an empty box on systems without a colour emoji
 * font (Debian's Chromium among them).
 */
export function LockIcon() {
  return (
    <svg className="gl-lock-icon" viewBox="0 0 12 14" width="10" height="12" aria-hidden="true">
      <path d="M3.5 6V4a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="1.5" y="6" width="9" height="7" rx="1.2" fill="currentColor" />
    </svg>
  );
}

export function LockBadge({ locked, inherited }: { locked: boolean; inherited: boolean }) {
  if (!locked && !inherited) return null;
  const title = locked ? 'Frozen: these weights stay as loaded while the rest train' : 'Frozen by its group';
  return (
    <span className={`gl-node__lock${locked ? '' : ' is-inherited'}`} title={title} role="img" aria-label={title}>
      <LockIcon />
    </span>
  );
}
