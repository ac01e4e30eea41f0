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

/** Sixteen 16×16 pictures of two classes: a bar across (`bar_k.png`) or down (`post_k.png`), moved about. */
function barsAndPosts(): Picture[] {
  return Array.from({ length: 16 }, (_, k) => {
    const across = k % 2 === 0;
    const at = 2 + (k >> 1);
    const rgba = new Uint8Array(16 * 16 * 4);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        const on = across ? y >= at && y < at + 3 : x >= at && x < at + 3;
        rgba.set(on ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * 16 + x) * 4);
      }
    return { file: `${across ? 'bar' : 'post'}_${k}.png`, rgba, width: 16, height: 16 };
  });
}

const LABELLED = { ...UPLOAD, uploadName: 'bar_0.png + 15 more', uploadCount: 16, uploadLabelled: true, uploadClasses: 'bar, post' };

/** A classifier of labelled 8×8 uploads whose feature layer `feat` is locked: only the head learns. */
function classifier(params: Record<string, unknown> = LABELLED) {
  return doc(
    [
      n('data', 'dataset', params),
      n('flat', 'flatten', {}),
      n('feat', 'dense', { units: 6, activation: 'relu' }, { frozen: true }),
      n('head', 'dense', { units: 2 }),
      n('loss', 'crossEntropy', {}),
    ],
    [e('data.x', 'flat.in'), e('flat.out', 'feat.in'), e('feat.out', 'head.in'), e('head.out', 'loss.logits'), e('data.label', 'loss.target')],
    { batchSize: 8, learningRate: 3e-2 },
  );
}

describe('labelled uploads', () => {
  it('give the dataset node a label port as wide as the recorded classes', () => {
    expect(analyze(classifier()).shapes.data.label).toEqual([null, 2]);
    const one = analyze(classifier({ ...LABELLED, uploadClasses: 'bar' }));
    expect(one.diagnostics.some((d) => d.nodeId === 'data' && d.severity === 'error' && /at least 2 classes/.test(d.message))).toBe(true);
  });

  it('train a new head on a locked feature layer: the head learns, the features stay byte for byte', async () => {
    const before = tf.memory().numTensors;
    const set = convertPictures(barsAndPosts(), 8, 'grayscale', true);
    expect(set.classes).toEqual(['bar', 'post']);
    const trainer = new Trainer({ reader: nodeAssets });
    trainer.userData.set(LABELLED.uploadName, datasetFromImages(set.pixels, set.count, 8, 8, 1, set.labels, set.classes!.length));
    const r = await trainer.load(classifier());
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const weightsOf = (name: string) => {
      const w = trainer.compiled!.networks.flatMap((net) => net.model.weights).filter((v) => v.originalName.startsWith(`${name}/`));
      return w.map((v) => Array.from(v.read().dataSync()));
    };
    const feat0 = weightsOf('feat');
    const head0 = weightsOf('head');
    const first = (await trainer.step(1))['loss.loss'];
    const later = (await trainer.step(60))['loss.loss'];
    expect(later).toBeLessThan(first * 0.7);
    expect(weightsOf('feat')).toEqual(feat0);
    expect(weightsOf('head')).not.toEqual(head0);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('name the node when the stored images hold other classes than it records', async () => {
    const set = convertPictures(barsAndPosts(), 8, 'grayscale', true);
    const trainer = new Trainer({ reader: nodeAssets });
    trainer.userData.set(LABELLED.uploadName, datasetFromImages(set.pixels, set.count, 8, 8, 1));
    const r = await trainer.load(classifier());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(/dataset "data".*hold no labels but uploadClasses names 2/);
    trainer.dispose();
  });
});
