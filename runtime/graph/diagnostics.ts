// Typed diagnostics: every problem the loader, the canvas's wiring check or a compiler pass finds, tied to a
// node or edge id. It lives at the bottom of runtime/ (graph/ imports nothing above it) so every layer can
// report in the same terms.

export type DiagnosticCode =
  | 'format' // the document is not a genloom.graph, or its version is not supported
  | 'schema' // a field has the wrong type or is missing
  | 'duplicate-id'
  | 'unknown-type'
  | 'bad-param'
  | 'dangling-edge' // an edge names a node or handle that does not exist
  | 'incompatible-port' // an edge joins ports of different kinds
  | 'cycle'
  | 'unconnected-input'
  | 'shape' // a node's inputs do not fit it
  | 'nothing-trainable' // a loss with no network upstream
  | 'missing-part' // e.g. reparameterize without a KL loss, a schedule with nothing denoising
  | 'unwired-output' // a setting that acts through an output nothing reads (min-SNR weights with no loss wired)
  | 'no-objective' // nothing to train
  | 'group' // a group node's inner network is malformed
  | 'memory-budget' // training would need more memory than allowed (runtime/compiler/memory.ts)
  | 'design' // compiles, but will not learn well (runtime/compiler/design-checks.ts)
  | 'export'; // a node the PyTorch export cannot write (runtime/export/pytorch)

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** The param or document field at fault. */
  field?: string;
}

export function error(code: DiagnosticCode, message: string, where: Partial<Pick<Diagnostic, 'nodeId' | 'edgeId' | 'field'>> = {}): Diagnostic {
  return { severity: 'error', code, message, ...where };
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
