// A model trains on images the user brought: the dataset node's upload params give its shape at
// compile time, the trainer reads the pixels by name, and a missing or reshaped upload names the node.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../runtime/backend/select-node';
import { analyze } from '../../runtime/compiler/analyze';
import { nodeAssets } from '../../runtime/data/assets-node';
import { datasetFromImages } from '../../runtime/data/uploads';
import { Trainer } from '../../runtime/train/trainer';
import { convertPictures, type Picture } from '../../app/uploads/imageUploads';
import { doc, e, n } from '../compiler/docs';

const UPLOAD = { dataset: 'upload', uploadName: 'shapes.png + 11 more', uploadSize: 8, uploadColor: 'grayscale', uploadCount: 12 };

/** An autoencoder of 8×8 grey images: x → flatten → 4 → 64 → reshape → reconstruction of x. */
function autoencoder(params: Record<string, unknown> = UPLOAD) {
  return doc(
    [
      n('data', 'dataset', params),
      n('flat', 'flatten', {}),
      n('enc', 'dense', { units: 4, activation: 'tanh' }),
      n('dec', 'dense', { units: 64, activation: 'tanh' }),
      n('img', 'reshape', { targetShape: [8, 8, 1] }),
      n('loss', 'reconstruction', { kind: 'mse' }),
    ],
    [e('data.x', 'flat.in'), e('flat.out', 'enc.in'), e('enc.out', 'dec.in'), e('dec.out', 'img.in'), e('img.out', 'loss.pred'), e('data.x', 'loss.target')],
    { batchSize: 4, learningRate: 1e-2 },
  );
}

/** Twelve 16×16 pictures: a white square on black whose corner moves. */
function squares(): Picture[] {
  return Array.from({ length: 12 }, (_, k) => {
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const on = x >= k && x < k + 4 && y >= 4 && y < 12;
        rgba.set(on ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * 16 + x) * 4);
      }
    return { file: `${k}.png`, rgba, width: 16, height: 16 };
  });
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('dataset node with uploaded images', () => {
  it('takes its shape from the upload params, without the pixels', () => {
    expect(analyze(autoencoder()).shapes.data.x).toEqual([null, 8, 8, 1]);
    const rgb = analyze(doc([n('data', 'dataset', { ...UPLOAD, uploadSize: 32, uploadColor: 'rgb' })], []));
    expect(rgb.shapes.data.x).toEqual([null, 32, 32, 3]);
    expect(rgb.shapes.data.label).toBeUndefined();
  });

  it('asks for an upload while none is recorded', () => {
    const a = analyze(doc([n('data', 'dataset', { dataset: 'upload' })], []));
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.some((d) => d.nodeId === 'data' && /upload at least 8/.test(d.message))).toBe(true);
  });

  it('trains on the uploaded images and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const set = convertPictures(squares(), 8, 'grayscale');
    const trainer = new Trainer({ reader: nodeAssets });
    trainer.userData.set(UPLOAD.uploadName, datasetFromImages(set.pixels, set.count, 8, 8, 1));
    const r = await trainer.load(autoencoder());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const first = (await trainer.step(1))['loss.loss'];
    const later = (await trainer.step(40))['loss.loss'];
    expect(later).toBeLessThan(first);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the node when the upload is not loaded, or was converted to another shape', async () => {
    const missing = new Trainer({ reader: nodeAssets });
    const r = await missing.load(autoencoder());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/dataset "data".*shapes\.png \+ 11 more.*upload the images again/);
    missing.dispose();

    const reshaped = new Trainer({ reader: nodeAssets });
    reshaped.userData.set(UPLOAD.uploadName, datasetFromImages(new Uint8Array(12 * 4 * 4), 12, 4, 4, 1));
    const r2 = await reshaped.load(autoencoder());
    expect(r2.ok).toBe(false);
    expect(r2.diagnostics.map((d) => d.message).join('\n')).toMatch(/dataset "data".*are 4×4×1 but uploadSize, uploadColor ask for 8×8×1/);
    reshaped.dispose();
  });
});
