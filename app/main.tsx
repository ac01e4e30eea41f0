// Boot: a share link wins, then the autosaved graph and viewport, then an empty canvas.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { BackendPicker } from './training/BackendPicker';
import { parseGraph } from '../runtime/graph/load';
import { createEditor } from './store/history';
import { showProblems, store } from './store/store';
import { graphTextFromHash } from './files/shareLink';
import { loadAutosave, startAutosave } from './files/autosave';

async function restore(): Promise<void> {
  const shared = graphTextFromHash(location.hash);
  if (shared !== null || location.hash.startsWith('#graph=')) {
    const { doc, diagnostics } = parseGraph(shared ?? '');
    if (doc) {
      store.set((s) => ({ ...s, editor: createEditor(doc), viewport: doc.viewport ?? null }));
      return;
    }
    showProblems('The shared link could not be opened', diagnostics);
  }
  const saved = await loadAutosave();
  if (!saved) return;
  const { doc } = parseGraph(saved.graph);
  if (doc) store.set((s) => ({ ...s, editor: createEditor(doc), viewport: saved.viewport }));
}

await restore();
startAutosave();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App backend={<BackendPicker />} />
  </StrictMode>,
);
