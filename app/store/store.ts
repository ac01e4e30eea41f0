// The one store: the editor (document, selection, history) plus UI state, read with selectors.
import { useSyncExternalStore } from 'react';
import type { Viewport } from '../../runtime/graph/document';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import { createEditor, type EditorState } from './history';
import { emptyDocument } from './graph';

export interface ProblemsDialog {
  title: string;
  problems: Diagnostic[];
}

export interface AppState {
  editor: EditorState;
  viewport: Viewport | null;
  dialog: ProblemsDialog | null;
  toast: { message: string; tone: 'info' | 'error'; at: number } | null;
  galleryOpen: boolean;
  /** Bumped to ask the canvas to fit the graph into view (after a load or a layout). */
  fitRequest: number;
}

type Listener = () => void;

let state: AppState = {
  editor: createEditor(emptyDocument()),
  viewport: null,
  dialog: null,
  toast: null,
  galleryOpen: false,
  fitRequest: 0,
};
const listeners = new Set<Listener>();

export const store = {
  get: (): AppState => state,
  set(update: (s: AppState) => AppState): void {
    const next = update(state);
    if (next === state) return;
    state = next;
    for (const l of listeners) l();
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

/** Re-renders only when the selected slice changes identity; select stable slices, not new objects. */
export function useStore<T>(select: (s: AppState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(state));
}

/** Runs a pure edit on the editor. */
export function edit(fn: (e: EditorState) => EditorState): void {
  store.set((s) => {
    const editor = fn(s.editor);
    return editor === s.editor ? s : { ...s, editor };
  });
}

export function showToast(message: string, tone: 'info' | 'error' = 'info'): void {
  store.set((s) => ({ ...s, toast: { message, tone, at: Date.now() } }));
}

export function clearToast(): void {
  store.set((s) => (s.toast ? { ...s, toast: null } : s));
}

export function showProblems(title: string, problems: Diagnostic[]): void {
  store.set((s) => ({ ...s, dialog: { title, problems } }));
}

export function requestFit(): void {
  store.set((s) => ({ ...s, fitRequest: s.fitRequest + 1 }));
}
