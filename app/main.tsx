// Boot: the autosaved graph and viewport (or an empty canvas) render at once; a share link is then
// decoded off the main thread and, once the user agrees to replace a graph they have, opened.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { BackendPicker } from './training/BackendPicker';
import { parseGraph, serializeGraph } from '../runtime/graph/load';
import { createEditor } from './store/history';
import { loadDocument } from './store/edits';
import { edit, requestFit, showProblems, showToast, store } from './store/store';
import { hasSharedGraph, readSharedHash } from './files/shareLink';
import { loadAutosave, startAutosave } from './files/autosave';

async function restore(): Promise<void> {
  const saved = await loadAutosave();
  if (!saved) return;
  const { doc } = parseGraph(saved.graph);
  if (doc) store.set((s) => ({ ...s, editor: createEditor(doc), viewport: saved.viewport }));
  if (saved.fellBack) showToast('The last autosave was damaged; the version before it was restored', 'error');
}

async function openSharedLink(): Promise<void> {
  const hash = location.hash;
  if (!hasSharedGraph(hash)) return;
  const { doc, diagnostics } = await readSharedHash(hash);
  // Handled once: a reload must not ask again.
  history.replaceState(null, '', location.pathname + location.search);
  if (!doc) return showProblems('The shared link could not be opened', diagnostics);
  const current = store.get().editor.doc;
  const same = serializeGraph(current) === serializeGraph(doc);
  if (same) return;
  if (current.nodes.length > 0 && !window.confirm(`Open the shared graph “${doc.name}”? It replaces “${current.name}” (${current.nodes.length} nodes) on the canvas; your graph can be brought back with undo.`)) return;
  if (current.nodes.length === 0) store.set((s) => ({ ...s, editor: createEditor(doc), viewport: doc.viewport ?? null }));
  else {
    edit((e) => loadDocument(e, doc, 'Open shared link'));
    requestFit();
  }
}

await restore();
startAutosave();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App backend={<BackendPicker />} />
  </StrictMode>,
);
void openSharedLink();
