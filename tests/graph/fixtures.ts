// A small registry of made-up node types (including a group, which no real type is yet) and
// document builders shared by the graph tests.
import { defineNode, type AnyNodeDefinition } from '../../nodes/types';
import { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from '../../runtime/graph/document';

const t = (id: string) => ({ id, kind: 'tensor' as const });

const defs: AnyNodeDefinition[] = [
  defineNode({
    type: 'noise', label: 'Noise', category: 'data', role: 'source', doc: '',
    inputs: [], outputs: [t('z')], params: { size: { kind: 'int', default: 8, min: 1 } },
    inferShapes: (_i, p) => ({ z: [null, p.size as number] }),
  }),
  defineNode({
    type: 'dataset', label: 'Data', category: 'data', role: 'source', doc: '',
    inputs: [], outputs: [t('x')], params: {}, inferShapes: () => ({ x: [null, 2] }),
  }),
  defineNode({
    type: 'dense', label: 'Dense', category: 'layers', role: 'layer', doc: '',
    inputs: [t('in')], outputs: [t('out')],
    params: {
      units: { kind: 'int', default: 16, min: 1 },
      activation: { kind: 'enum', default: 'none', options: ['none', 'relu'] },
    },
    inferShapes: (_i, p) => ({ out: [null, p.units as number] }),
  }),
  defineNode({
    type: 'schedule', label: 'Schedule', category: 'generative', role: 'op', doc: '',
    inputs: [], outputs: [{ id: 'schedule', kind: 'schedule' }], params: {}, inferShapes: () => ({}),
  }),
  defineNode({
    type: 'addNoise', label: 'Add noise', category: 'generative', role: 'op', doc: '',
    inputs: [t('x'), { id: 'schedule', kind: 'schedule' }], outputs: [t('xt')], params: {},
    inferShapes: (i) => ({ xt: i.x }),
  }),
  defineNode({
    type: 'discriminator', label: 'Discriminator', category: 'generative', role: 'group', doc: '',
    inputs: [t('real'), t('fake')], outputs: [t('realScore'), t('fakeScore')], params: {},
    group: { innerInput: 'innerIn', innerOutput: 'innerOut', routes: [{ from: 'real', to: 'realScore' }, { from: 'fake', to: 'fakeScore' }] },
    inferShapes: () => ({}),
  }),
];

const byType = new Map(defs.map((d) => [d.type, d]));
export const fakeRegistry = (type: string) => byType.get(type);
const fakeTypes = defs.map((d) => d.type);
export const fakeOpts = { registry: fakeRegistry, knownTypes: fakeTypes };

export function node(id: string, type: string, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, type, position: { x: 0, y: 0 }, params: {}, ...extra };
}

export function edge(id: string, source: string, sourceHandle: string, target: string, targetHandle: string): GraphEdge {
  return { id, source, sourceHandle, target, targetHandle };
}

/**
 * A small GAN: noise → g1 → disc.fake, data → disc.real, with the discriminator's inner network
 * innerIn → d1 → innerOut.
 */
export function ganDoc(): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name: 'tiny gan',
    nodes: [
      node('z', 'noise', { params: { size: 4 } }),
      node('g1', 'dense', { params: { units: 2 } }),
      node('data', 'dataset'),
      node('disc', 'discriminator', { width: 300, height: 200 }),
      node('d1', 'dense', { parentId: 'disc', params: { units: 1 } }),
    ],
    edges: [
      edge('e1', 'z', 'z', 'g1', 'in'),
      edge('e2', 'g1', 'out', 'disc', 'fake'),
      edge('e3', 'data', 'x', 'disc', 'real'),
      edge('e4', 'disc', 'innerIn', 'd1', 'in'),
      edge('e5', 'd1', 'out', 'disc', 'innerOut'),
    ],
    training: { ...DEFAULT_TRAINING, batchSize: 8, steps: 10, seed: 3, learningRate: 2e-4, beta1: 0.5, beta2: 0.999, sampleEvery: 5, evalEvery: 0 },
  };
}
