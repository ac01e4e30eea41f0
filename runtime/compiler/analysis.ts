// The result of the fast passes (validate, order, infer shapes) that run on every edit.
import type { Shape, ShapeMap } from '../../nodes/types';
import type { Diagnostic } from '../graph/diagnostics';

export interface Analysis {
  diagnostics: Diagnostic[];
  /** Node ids in topological order (inner nodes of a group come where their inputs allow). */
  order: string[];
  /** Each node's params with defaults filled (only for nodes whose params are valid). */
  params: Record<string, Record<string, unknown>>;
  /** Output shapes per node id, per output port (and a group's inner input handle). */
  shapes: Record<string, ShapeMap>;
  /** The shape flowing along each edge, where known. */
  edgeShapes: Record<string, Shape>;
  /** Trainable parameter count per node (layer nodes; groups sum their inner nodes). */
  paramCounts: Record<string, number>;
  /** Of those, the parameters locked by a frozen node or group (groups sum their inner nodes). */
  frozenParamCounts: Record<string, number>;
}
