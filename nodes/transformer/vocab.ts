// The vocabulary rule. Shapes carry no vocabulary (token ids are [batch, T]), so the nodes that need
// one (tokenEmbedding's table rows, lmHead's logits) take a `vocabSize` param where 0 means "the
// vocabulary of the text dataset upstream". The compiler calls resolveVocabSizes once per analysis,
// before inferring shapes, and writes each resolved size into the node's params. A non-zero value is
// checked against the dataset: smaller is an error (ids would fall outside the table), larger a warning.
import { textDataset, textVocabSize } from './text-dataset';
import { NodeError } from '../types';

/** Node types whose `vocabSize` param follows the rule. */
export const VOCAB_NODE_TYPES: readonly string[] = ['tokenEmbedding', 'lmHead'];

/** The few fields of a graph document this needs, so nodes/ stays free of runtime/ imports. */
export interface VocabGraph {
  nodes: readonly { id: string; type: string; params: Record<string, unknown> }[];
  edges: readonly { source: string; target: string }[];
  /** Nodes with an input from a node that has its own error: what lies behind it is unknown, not missing. */
  fedByBroken?: ReadonlySet<string>;
}

export interface VocabProblem {
  nodeId: string;
  field: 'vocabSize';
  severity: 'error' | 'warning';
  message: string;
}

export interface VocabResolution {
  /** The vocabulary size each tokenEmbedding/lmHead node should be built with. */
  sizes: Record<string, number>;
  problems: VocabProblem[];
}

/** The message a node shows when its vocabSize is still 0 at shape inference (nothing resolved it). */
export function unresolvedVocab(): NodeError {
  return new NodeError(
    'has vocabSize 0 ("from the dataset") but no text dataset upstream gave it one: connect a textDataset before it or set vocabSize',
    'vocabSize',
  );
}

export function resolveVocabSizes(graph: VocabGraph): VocabResolution {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parents = new Map<string, string[]>();
  for (const e of graph.edges) parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);

  const sizes: Record<string, number> = {};
  const problems: VocabProblem[] = [];
  for (const node of graph.nodes) {
    if (!VOCAB_NODE_TYPES.includes(node.type)) continue;
    const { found, behindBroken } = upstreamVocabs(node.id, byId, parents, graph.fedByBroken);
    const set = Number(node.params.vocabSize ?? 0);
    const problem = (severity: VocabProblem['severity'], message: string) =>
      problems.push({ nodeId: node.id, field: 'vocabSize', severity, message });

    if (found.size > 1) {
      problem('error', `sees text datasets with different vocabularies (${[...found].join(', ')}) upstream; set vocabSize to the largest`);
      if (set > 0) sizes[node.id] = set;
      continue;
    }
    const data = found.size === 1 ? [...found][0] : undefined;
    if (set === 0) {
      // A text dataset with an error of its own says so; this node need not add a second message.
      if (data !== undefined) sizes[node.id] = data;
      else if (!behindBroken) problem('error', unresolvedVocab().message);
      continue;
    }
    sizes[node.id] = set;
    if (data !== undefined && set < data)
      problem('error', `has vocabSize ${set} but the text dataset upstream has ${data} tokens: set ${data} or 0 (from the dataset)`);
    else if (data !== undefined && set > data)
      problem('warning', `has vocabSize ${set}, more than the ${data} tokens of the text dataset upstream; the extra rows are never used`);
  }
  return { sizes, problems };
}

/**
 * Vocabulary sizes of every textDataset upstream of `id` (corpora that cannot be read are skipped),
 * and whether the search met an input cut off by a broken node.
 */
function upstreamVocabs(
  id: string,
  byId: Map<string, VocabGraph['nodes'][number]>,
  parents: Map<string, string[]>,
  fedByBroken: ReadonlySet<string> = new Set(),
): { found: Set<number>; behindBroken: boolean } {
  const out = new Set<number>();
  const seen = new Set<string>([id]);
  const queue = [...(parents.get(id) ?? [])];
  let behindBroken = fedByBroken.has(id);
  while (queue.length) {
    const cur = queue.shift()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    if (fedByBroken.has(cur)) behindBroken = true;
    const node = byId.get(cur);
    if (!node) continue;
    if (node.type === 'textDataset') {
      try {
        out.add(
          textVocabSize({
            corpus: String(node.params.corpus ?? textDataset.params.corpus.default),
            uploadVocabSize: Number(node.params.uploadVocabSize ?? 0),
          }),
        );
      } catch {
        // The dataset node reports its own problem.
      }
      continue;
    }
    queue.push(...(parents.get(cur) ?? []));
  }
  return { found: out, behindBroken };
}
