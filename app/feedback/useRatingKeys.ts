// The Feedback view from the keyboard: 1–4 pick a sample (1 and 2 are A and B), T a tie, S skips.
// Ignored while typing in a field or while a dialog is open, as the editor's shortcuts are.
import { useEffect } from 'react';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('input, textarea, select, [contenteditable="true"]');
}

export function useRatingKeys(active: boolean, onKey: (action: number | 'tie' | 'skip') => void, choices: number): void {
  useEffect(() => {
    if (!active) return;
    const handler = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target) || document.querySelector('.gl-modal')) return;
      const key = e.key.toLowerCase();
      const digit = Number(key);
      if (Number.isInteger(digit) && digit >= 1 && digit <= choices) onKey(digit - 1);
      else if (key === 's') onKey('skip');
      else if (key === 't' && choices === 2) onKey('tie');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, [active, onKey, choices]);
}
