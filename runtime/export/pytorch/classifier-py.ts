// classifier.py and its weights: Genloom's fixed MNIST classifier (runtime/metrics/classifier.ts,
// decision 0011) written in PyTorch, for the digit-probability rater. The weights travel as one flat
// float32 .npy in tfjs's layouts, in the order tfjs lists them; classifier.py converts them as it loads.
import { fromBase64 } from '../../data/base64';
import { CLASSIFIER_ARCH, classifierRecord } from '../../metrics/classifier';
import type { ProjectFiles } from './data-py';
import { npy } from './npy';

export const CLASSIFIER_WEIGHTS = 'data/mnist-classifier.npy';

const SOURCE = `"""Genloom's fixed MNIST classifier (${CLASSIFIER_ARCH}), the judge of the digit-probability rater.

Genloom trained it once and keeps it fixed, so that ratings compare across runs; its weights are in
${CLASSIFIER_WEIGHTS}, flat, in TensorFlow.js's layouts.
"""
import functools
import math
import os

import numpy as np
import torch
import torch.nn as nn

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(CLASSIFIER_WEIGHTS)})


class MnistClassifier(nn.Module):
    """28×28 digits in [-1, 1] → 10 logits: three conv, ReLU and max-pool stages, then a linear layer."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (B, 16, 14, 14)
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 32, 7, 7)
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 64, 3, 3)
        )
        self.logits = nn.Linear(576, 10)

    def forward(self, x):
        h = self.features(x)  # (B, 64, 3, 3)
        return self.logits(h.permute(0, 2, 3, 1).flatten(1))  # flattened channels last, as it was trained


@functools.lru_cache(maxsize=None)
def load():
    """The classifier with Genloom's weights: filters stored [h, w, in, out], the linear layer's [in, out]."""
    model = MnistClassifier()
    flat = torch.from_numpy(np.load(WEIGHTS))
    at = 0

    def take(*shape):
        nonlocal at
        n = math.prod(shape)
        at += n
        return flat[at - n : at].view(shape)

    with torch.no_grad():
        for conv in model.features[::3]:
            out, inp, h, w = conv.weight.shape
            conv.weight.copy_(take(h, w, inp, out).permute(3, 2, 0, 1))
            conv.bias.copy_(take(out))
        model.logits.weight.copy_(take(576, 10).t())
        model.logits.bias.copy_(take(10))
    if at != len(flat):
        raise ValueError(f"{WEIGHTS} holds {len(flat)} values, the classifier {at}")
    return model.eval()


@torch.no_grad()
def digit_probability(images, digit):
    """The probability (N,) that each image (N, 1, 28, 28) in [-1, 1] shows \`digit\`."""
    if tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"the MNIST classifier judges 28×28 grey images (N, 1, 28, 28), got {tuple(images.shape)}")
    return load()(images.float().cpu()).softmax(-1)[:, digit]
`;

/** Adds classifier.py and its weights to the project. */
export async function addClassifier(files: ProjectFiles): Promise<void> {
  const record = await classifierRecord('mnist');
  if (record.arch !== CLASSIFIER_ARCH) throw new Error(`the committed MNIST classifier is ${record.arch}, classifier.py writes ${CLASSIFIER_ARCH}`);
  const parts = record.weights.map((w) => new Float32Array(fromBase64(w.data, 'a classifier weight').slice().buffer));
  const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  files.set('classifier.py', SOURCE);
  files.set(CLASSIFIER_WEIGHTS, npy(flat, [flat.length]));
}
