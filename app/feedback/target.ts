// Which node of a graph takes the pairs rated in the app: a data node whose upload is of preference
// pairs and whose rater is the person using the app. Found through the definitions, as uploads are.
import { getNodeDef } from '../../nodes/registry';
import { checkValues } from '../../nodes/params';
import type { ParamSchema } from '../../nodes/types';
import type { PreferenceKind } from '../../nodes/feedback/preferences';
import type { GraphDocument } from '../../runtime/graph/document';

export interface FeedbackTarget {
  nodeId: string;
  /** The name the node reads its pairs under; '' until the first pairs are kept. */
  name: string;
  /** The param that holds the name. */
  nameParam: string;
  kind: PreferenceKind;
  /** Images: [height, width, channels]. */
  shape?: number[];
  /** Steps of the reward model, then of the fine-tune, each time the pairs are learned from. */
  rewardSteps: number;
  tuneSteps: number;
}

/** The node's own round sizes when it declares them (the CLI's loop reads the same params). */
const ROUND_DEFAULTS = { rewardSteps: 200, tuneSteps: 100 };

function steps(values: Record<string, unknown>, key: keyof typeof ROUND_DEFAULTS): number {
  const v = values[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : ROUND_DEFAULTS[key];
}

export function feedbackTarget(doc: GraphDocument): FeedbackTarget | null {
  for (const n of doc.nodes) {
    const def = getNodeDef(n.type);
    const spec = def?.upload;
    if (!def || spec?.kind !== 'preferences') continue;
    const { values } = checkValues(def.params as ParamSchema, n.params);
    if (values[spec.choiceParam] !== (spec.choiceValue ?? 'upload')) continue;
    const need = def.data?.(values);
    if (!need?.preferenceKind) continue;
    return {
      nodeId: n.id,
      name: String(values[spec.nameParam] ?? ''),
      nameParam: spec.nameParam,
      kind: need.preferenceKind,
      ...(need.preferenceKind === 'image' ? { shape: need.exampleShape } : {}),
      rewardSteps: steps(values, 'rewardSteps'),
      tuneSteps: steps(values, 'tuneSteps'),
    };
  }
  return null;
}

/** The name a graph's first pairs are kept under: the graph's own name, so each graph has its set. */
export function defaultPairsName(doc: GraphDocument): string {
  return `${doc.name.trim() || 'untitled graph'} – pairs`.slice(0, 200);
}
