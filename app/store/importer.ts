// Opening a graph file: a broken or foreign file reports its problems and changes nothing.
import { parseGraph } from '../../runtime/graph/load';
import type { Diagnostic } from '../../runtime/graph/diagnostics';
import type { EditorState } from './history';
import { loadDocument } from './edits';

export function importText(state: EditorState, text: string, label = 'Open file'): { state: EditorState; problems: Diagnostic[] } {
  let result: ReturnType<typeof parseGraph>;
  try {
    result = parseGraph(text);
  } catch (err) {
    return { state, problems: [{ severity: 'error', code: 'format', message: err instanceof Error ? err.message : String(err) }] };
  }
  const problems = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.doc || problems.length > 0) {
    return { state, problems: problems.length ? problems : result.diagnostics };
  }
  return { state: loadDocument(state, result.doc, label), problems: [] };
}
