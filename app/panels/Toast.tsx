// A short message at the bottom of the canvas (a refused connection, a copied link).
import { useEffect } from 'react';
import { clearToast, useStore } from '../store/store';

export function Toast() {
  const toast = useStore((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(clearToast, toast.tone === 'error' ? 5000 : 2500);
    return () => clearTimeout(t);
  }, [toast]);
  if (!toast) return null;
  return <div className={`gl-toast gl-toast--${toast.tone}`} role="status">{toast.message}</div>;
}
