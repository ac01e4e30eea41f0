// A graph as a PyTorch project: model.py, train.py, data.py (with its data files), genloom_weights.py,
// requirements.txt and a README. Any node the export cannot write stops it with a diagnostic naming
// the node; nothing is skipped.
import { error, type Diagnostic } from '../../graph/diagnostics';
import type { GraphDocument } from '../../graph/document';
import type { AssetReader } from '../../data/assets';
import type { PreferenceSet } from '../../../nodes/feedback/preferences';
import { dataPy, type ProjectFiles } from './data-py';
import { addClassifier } from './classifier-py';
import { feedbackTrain, preferenceNodes, preferencesPy } from './feedback-py';
import { ExportError, modelPy } from './model-py';
import { graphParts } from './parts';
import { readme, REQUIREMENTS } from './readme';
import { trainPy } from './train-py';
import { weightsPy } from './weights-py';

export type { ProjectFiles };

export interface ExportOptions {
  /** Weights to start from: a genloom.weights JSON text, written as init-weights.json. */
  initWeights?: string;
  /** Preference pairs rated in the app, by the name a preferences node reads them by. */
  preferences?: ReadonlyMap<string, PreferenceSet>;
}

export async function exportPytorch(
  doc: GraphDocument,
  reader: AssetReader,
  options: ExportOptions = {},
): Promise<{ files: ProjectFiles | null; diagnostics: Diagnostic[] }> {
  const { parts, diagnostics } = graphParts(doc);
  if (!parts) return { files: null, diagnostics };
  const files: ProjectFiles = new Map();
  try {
    const model = modelPy(parts);
    const pairs = options.preferences ?? new Map<string, PreferenceSet>();
    const rated = preferenceNodes(parts, pairs);
    const feedback = feedbackTrain(parts, rated);
    let train = trainPy(parts, model, feedback);
    if (feedback) files.set('preferences.py', preferencesPy(parts, rated, pairs, files));
    if (rated.some((n) => n.scripted?.rule === 'digit-probability')) await addClassifier(files);
    const data = await dataPy(parts, reader, files, train);
    if (options.initWeights !== undefined) {
      files.set('init-weights.json', options.initWeights);
      train = train.replace('parser.add_argument("--init", help=', 'parser.add_argument("--init", default="init-weights.json", help=');
    }
    files.set('model.py', model.source);
    files.set('train.py', train);
    files.set('data.py', data.source);
    files.set('genloom_weights.py', weightsPy(parts, model, data.tokenizer));
    files.set('requirements.txt', REQUIREMENTS);
    const rating = feedback ? { rule: rated.find((n) => n.scripted)?.scripted?.rule ?? null } : null;
    files.set('README.md', readme(parts, options.initWeights !== undefined, rating));
    return { files, diagnostics };
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    return { files: null, diagnostics: [...diagnostics, error('export', e.message, { nodeId: e.nodeId, field: e.field })] };
  }
}
