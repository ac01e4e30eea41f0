// The dialog listing why a file could not be opened.
import { store, useStore } from '../store/store';

export function ProblemsDialog() {
  const dialog = useStore((s) => s.dialog);
  if (!dialog) return null;
  const close = () => store.set((s) => ({ ...s, dialog: null }));
  return (
    <div className="gl-modal" role="dialog" aria-modal="true" aria-labelledby="problems-title" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="gl-modal__box">
        <h2 id="problems-title">{dialog.title}</h2>
        <p className="gl-muted">Your current graph is unchanged. {dialog.problems.length === 1 ? 'This problem was' : `These ${dialog.problems.length} problems were`} found:</p>
        <ul className="gl-modal__list">
          {dialog.problems.map((p, i) => (
            <li key={i} className={p.severity === 'error' ? 'gl-error' : 'gl-warn'}>{p.message}</li>
          ))}
        </ul>
        <div className="gl-modal__actions">
          <button className="gl-btn gl-btn--primary" autoFocus onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}
