// Export → PyTorch project: the graph as a zip holding a PyTorch project that trains under torchrun
// (runtime/export/pytorch), its datasets read from the app's own assets.
import { browserAssets } from '../../runtime/data/assets-browser';
import type { GraphDocument } from '../../runtime/graph/document';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { zip } from '../../runtime/export/zip';
import { fileNameFor } from './exportFile';
import { pairsFor } from '../feedback/pairStore';
import { feedbackTarget } from '../feedback/target';

/** Builds and downloads the project; throws with the first problem when the graph cannot be exported. */
export async function downloadPytorchProject(doc: GraphDocument): Promise<string> {
  // Pairs rated in the app travel with the project, as they do to a training run.
  const preferences = await pairsFor(feedbackTarget(doc));
  const { files, diagnostics } = await exportPytorch(doc, browserAssets, { preferences });
  if (!files) throw new Error(diagnostics.find((d) => d.severity === 'error')?.message ?? 'the graph cannot be exported');
  const stem = `${fileNameFor(doc).replace(/\.json$/, '')}-pytorch`;
  const url = URL.createObjectURL(new Blob([zip(files, stem) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${stem}.zip`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return a.download;
}
