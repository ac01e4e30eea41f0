// The inspector's "Upload your images" control for a dataset node whose dataset is 'upload'.
import { useState } from 'react';
import type { ImageColor } from '../../runtime/data/image-convert';
import { setParams } from '../store/edits';
import { store, useStore } from '../store/store';
import { decodeImage, IMAGE_ACCEPT } from './decodeImage';
import { storeImages, type Picture } from './imageUploads';

/** Decodes every file, then names all that failed at once rather than only the first. */
async function decodeAll(files: File[], size: number): Promise<Picture[]> {
  const pictures: Picture[] = [];
  const failed: string[] = [];
  for (const f of files) {
    try {
      pictures.push(await decodeImage(f, size));
    } catch (err) {
      failed.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (failed.length > 0) throw new Error(failed.join('; '));
  return pictures;
}

/** Lets a file input choose a whole folder (its files come with their paths, which hold the classes). */
function asFolderPicker(el: HTMLInputElement | null): void {
  el?.setAttribute('webkitdirectory', '');
}

export function ImageUpload({ nodeId }: { nodeId: string }) {
  const params = useStore((s) => s.editor.doc.nodes.find((n) => n.id === nodeId)?.params);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const size = Number(params?.uploadSize ?? 28);
  const color: ImageColor = params?.uploadColor === 'rgb' ? 'rgb' : 'grayscale';
  const labelled = params?.uploadLabelled === true;
  const onFiles = async (list: FileList | null, folder = false) => {
    // A folder may hold other files (.DS_Store, notes): only its pictures are read.
    const files = (list ? [...list] : []).filter((f) => !folder || /\.(png|jpe?g|webp)$/i.test(f.name));
    if (files.length === 0) return;
    setBusy(true);
    try {
      const { params: recorded } = await storeImages(await decodeAll(files, size), size, color, labelled);
      const { state, error } = setParams(store.get().editor, nodeId, recorded);
      if (error) throw new Error(error);
      store.set((s) => ({ ...s, editor: state }));
      setMessage(null);
    } catch (err) {
      setMessage({ text: `dataset "${nodeId}" upload: ${err instanceof Error ? err.message : String(err)}`, error: true });
    } finally {
      setBusy(false);
    }
  };
  const count = Number(params?.uploadCount ?? 0);
  const channels = color === 'rgb' ? 3 : 1;
  const classes = String(params?.uploadClasses ?? '');
  const recorded = labelled && classes ? ` in classes ${classes}` : '';
  const hint = labelled
    ? `Pick at least 8 images of 2 or more classes: a folder holding one folder per class, or files named class_anything.png. Each is center-cropped, resized to ${size}×${size} and made ${color}.`
    : `Pick at least 8 images; each is center-cropped to a square, resized to ${size}×${size} and made ${color}.`;
  return (
    <div className="gl-field">
      <label className="gl-field__label" htmlFor={`upload-images-${nodeId}`}>Your own images (png, jpg, webp){labelled ? ', class in the file name' : ''}</label>
      <input id={`upload-images-${nodeId}`} type="file" multiple accept={IMAGE_ACCEPT} disabled={busy} onChange={(e) => void onFiles(e.target.files)} />
      {labelled && (
        <>
          <label className="gl-field__label" htmlFor={`upload-folder-${nodeId}`}>or a folder, one folder per class</label>
          <input id={`upload-folder-${nodeId}`} ref={asFolderPicker} type="file" multiple disabled={busy} onChange={(e) => void onFiles(e.target.files, true)} />
        </>
      )}
      <div className="gl-field__doc">
        {busy ? 'Converting…' : count > 0 ? `${count} images${recorded}, ${size}×${size}×${channels} (${String(params?.uploadName ?? '')})` : hint}
      </div>
      {message && <div className={message.error ? 'gl-error' : 'gl-field__doc'}>{message.text}</div>}
    </div>
  );
}
