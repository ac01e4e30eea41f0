// The inspector's "Upload a .txt corpus" control for a textDataset node.
import { useState } from 'react';
import { setParams } from '../store/edits';
import { store } from '../store/store';
import { storeText } from './textUploads';

export function TextUpload({ nodeId }: { nodeId: string }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const { params, stored } = await storeText(file.name, await file.text());
      const { state, error } = setParams(store.get().editor, nodeId, params);
      if (error) throw new Error(error);
      store.set((s) => ({ ...s, editor: state }));
      const what = stored.lines ? 'one example per line' : 'running text';
      setMessage({ text: `${file.name}: ${stored.text.length.toLocaleString()} characters, ${what}, vocabulary ${String(params.uploadVocabSize)}.`, error: false });
    } catch (err) {
      setMessage({ text: `${file.name}: ${err instanceof Error ? err.message : String(err)}`, error: true });
    }
  };
  return (
    <div className="gl-field">
      <label className="gl-field__label" htmlFor={`upload-${nodeId}`}>Your own text (.txt)</label>
      <input id={`upload-${nodeId}`} type="file" accept=".txt,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
      {message && <div className={message.error ? 'gl-error' : 'gl-field__doc'}>{message.text}</div>}
    </div>
  );
}
