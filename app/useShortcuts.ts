// Keyboard shortcuts, and copy/paste through the system clipboard so they work across tabs.
import { useEffect } from 'react';
import { actions } from './actions';
import { requestSearch } from './store/store';

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('input, textarea, select, [contenteditable="true"]');
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e.target) || document.querySelector('.gl-modal')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (e.key === 'Delete' || e.key === 'Backspace') actions.deleteSelection();
      else if (mod && key === 'z' && e.shiftKey) actions.redo();
      else if (mod && key === 'z') actions.undo();
      else if (mod && key === 'y') actions.redo();
      else if (mod && key === 'd') actions.duplicate();
      else if (mod && key === 's') actions.exportFile();
      // Anywhere outside a text field, so it works before the canvas has ever been clicked.
      else if (!mod && e.key === '/') requestSearch();
      else handled = false;
      if (handled) e.preventDefault();
    };
    const onCopy = (e: ClipboardEvent) => {
      if (typingIn(e.target)) return;
      const text = actions.copyText();
      if (text === null || !e.clipboardData) return;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    };
    const onCut = (e: ClipboardEvent) => {
      onCopy(e);
      if (e.defaultPrevented) actions.deleteSelection();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (typingIn(e.target)) return;
      if (actions.pasteText(e.clipboardData?.getData('text/plain') ?? null)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
