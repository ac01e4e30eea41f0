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

export function ImageUpload({ nodeId }: { nodeId: string }) {
  const params = useStore((s) => s.editor.doc.nodes.find((n) => n.id === nodeId)?.params);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const size = Number(params?.uploadSize ?? 28);
  const color: ImageColor = params?.uploadColor === 'rgb' ? 'rgb' : 'grayscale';
  const onFiles = async (list: FileList | null) => {
    const files = list ? [...list] : [];
    if (files.length === 0) return;
    setBusy(true);
    try {
      const { params: recorded } = await storeImages(await decodeAll(files, size), size, color);
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
  return (
    <div className="gl-field">
      <label className="gl-field__label" htmlFor={`upload-images-${nodeId}`}>Your own images (png, jpg, webp)</label>
      <input id={`upload-images-${nodeId}`} type="file" multiple accept={IMAGE_ACCEPT} disabled={busy} onChange={(e) => void onFiles(e.target.files)} />
      <div className="gl-field__doc">
        {busy
          ? 'Converting…'
          : count > 0
            ? `${count} images, ${size}×${size}×${channels} (${String(params?.uploadName ?? '')})`
            : `Pick at least 8 images; each is center-cropped to a square, resized to ${size}×${size} and made ${color}.`}
      </div>
      {message && <div className={message.error ? 'gl-error' : 'gl-field__doc'}>{message.text}</div>}
    </div>
  );
}
