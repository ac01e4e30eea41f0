// Opening a graph file from the picker or a drop: problems go to a dialog, the graph stays as it was.
import { importText } from '../store/importer';
import { graphOpened, showProblems, showToast, store } from '../store/store';

export function openText(text: string, source: string): boolean {
  const { state, problems } = importText(store.get().editor, text, `Open ${source}`);
  if (problems.length) {
    showProblems(`“${source}” could not be opened`, problems);
    return false;
  }
  store.set((s) => ({ ...s, editor: state }));
  graphOpened();
  showToast(`Opened ${source}`);
  return true;
}

export async function openFile(file: File): Promise<boolean> {
  return openText(await file.text(), file.name);
}

/** Shows the system file picker for a .json graph. */
export function pickFile(): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.onchange = () => {
    const file = input.files?.[0];
    if (file) void openFile(file);
  };
  input.click();
}
