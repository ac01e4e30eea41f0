// The fast compiler passes, memoised on the document: shapes and problems follow every edit.
import { useMemo } from 'react';
import { analyze } from '../../runtime/compiler/analyze';
import { designChecks } from '../../runtime/compiler/design-checks';
import type { Analysis } from '../../runtime/compiler/analysis';
import type { GraphDocument } from '../../runtime/graph/document';
import { useStore } from './store';

const EMPTY: Analysis = { diagnostics: [], order: [], params: {}, shapes: {}, edgeShapes: {}, paramCounts: {}, frozenParamCounts: {} };

/** The fast passes plus the design checks, whose warnings (with their fixes) join the diagnostics. */
export function safeAnalyze(doc: GraphDocument): Analysis {
  try {
    const analysis = analyze(doc);
    return { ...analysis, diagnostics: [...analysis.diagnostics, ...designChecks(doc, analysis)] };
  } catch (err) {
    // A bug in a pass must not take the editor down; it shows as a problem instead.
    const message = `analysis failed: ${err instanceof Error ? err.message : String(err)}`;
    return { ...EMPTY, diagnostics: [{ severity: 'error', code: 'schema', message }] };
  }
}

export function useAnalysis(): Analysis {
  const doc = useStore((s) => s.editor.doc);
  return useMemo(() => safeAnalyze(doc), [doc]);
}
