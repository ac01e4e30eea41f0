// Commands shared by the top bar and the keyboard shortcuts.
import { edit, graphOpened, requestFit, showToast, store } from './store/store';
import { copySelection, deleteSelection, duplicate, loadDocument, paste } from './store/edits';
import { redo, undo } from './store/history';
import { autoLayout } from './store/layout';
import { emptyDocument } from './store/graph';
import { clipToText, readClip, type Clip } from './store/clipboard';
import { exportGraph } from './files/exportFile';
import { shareUrl } from './files/shareLink';
import { measuredSizes } from './canvas/useFlowState';

/** The last copy, for when the system clipboard cannot be read. */
let localClip: Clip | null = null;

export const actions = {
  newGraph: () => {
    edit((s) => loadDocument(s, emptyDocument(), 'New graph'));
    graphOpened();
  },
  undo: () => edit(undo),
  redo: () => edit(redo),
  exportFile: () => exportGraph(store.get().editor.doc),
  async exportPytorch() {
    try {
      // Loaded on demand: the exporter and the dataset readers are not needed to edit a graph.
      const { downloadPytorchProject } = await import('./files/exportPytorch');
      const file = await downloadPytorchProject(store.get().editor.doc);
      showToast(`Downloaded ${file}: unzip it and run train.py with torchrun (its README says how)`);
    } catch (err) {
      showToast(`No PyTorch project: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  },
  deleteSelection: () => edit(deleteSelection),
  duplicate: () => edit(duplicate),
  autoLayout: () => {
    edit((s) => autoLayout(s, measuredSizes.current));
    requestFit();
  },
  openExamples: () => store.set((s) => ({ ...s, galleryOpen: true })),
  /** The selection as clipboard text; null when nothing is selected. */
  copyText(): string | null {
    const clip = copySelection(store.get().editor);
    if (clip.nodes.length === 0) return null;
    localClip = clip;
    return clipToText(clip);
  },
  pasteText(text: string | null): boolean {
    const read = text ? readClip(text) : null;
    if (read && !read.clip) {
      const [first] = read.problems;
      showToast(`Nothing pasted: ${first ? first.message : 'the clipboard holds a graph that does not load'}`, 'error');
      return true;
    }
    const clip = read ? read.clip : text ? null : localClip;
    if (!clip || clip.nodes.length === 0) return false;
    edit((s) => paste(s, clip));
    return true;
  },
  async share() {
    let url: string;
    try {
      url = shareUrl(store.get().editor.doc, location.href);
    } catch (err) {
      showToast(`No link: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return;
    }
    history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url);
      showToast('Share link copied to the clipboard');
    } catch {
      showToast('Share link is in the address bar');
    }
  },
};
