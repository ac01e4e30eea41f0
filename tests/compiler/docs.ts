// Small real-registry graphs for the compiler tests, built in code so each test can break one thing.
import { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from '../../runtime/graph/document';

export function n(id: string, type: string, params: Record<string, unknown> = {}, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, type, position: { x: 0, y: 0 }, params, ...extra };
}

let edgeCount = 0;
/** An edge "source.handle → target.handle". */
export function e(from: string, to: string, id = `w${++edgeCount}`): GraphEdge {
  const [source, sourceHandle] = from.split('.');
  const [target, targetHandle] = to.split('.');
  return { id, source, sourceHandle, target, targetHandle };
}

export function doc(nodes: GraphNode[], edges: GraphEdge[], training: Partial<GraphDocument['training']> = {}): GraphDocument {
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    name: 'test graph',
    nodes,
    edges,
    training: { ...DEFAULT_TRAINING, batchSize: 8, steps: 10, seed: 1, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, sampleEvery: 0, evalEvery: 0, ...training },
  };
}

/** A 2-D GAN: z → g1 → g2 → D.fake, ring → D.real; D holds d1 → d2; D's scores → an adversarial loss. */
export function ganDoc(lossParams: Record<string, unknown> = {}): GraphDocument {
  return doc(
    [
      n('z', 'noise', { shape: [4] }),
      n('g1', 'dense', { units: 8, activation: 'relu' }),
      n('g2', 'dense', { units: 2 }),
      n('data', 'dataset', { dataset: 'ring' }),
      n('D', 'discriminator', {}, { width: 300, height: 300 }),
      n('d1', 'dense', { units: 8, activation: 'leakyRelu' }, { parentId: 'D' }),
      n('d2', 'dense', { units: 1 }, { parentId: 'D' }),
      n('loss', 'adversarial', lossParams),
    ],
    [
      e('z.z', 'g1.in'),
      e('g1.out', 'g2.in'),
      e('g2.out', 'D.fake'),
      e('data.x', 'D.real'),
      e('D.innerIn', 'd1.in'),
      e('d1.out', 'd2.in'),
      e('d2.out', 'D.innerOut'),
      e('D.realScore', 'loss.real'),
      e('D.fakeScore', 'loss.fake'),
    ],
  );
}

/** An MLP VAE on 2-D points: x → enc → (mean, logvar) → reparameterize → dec → reconstruction, + KL. */
export function vaeDoc(withKl = true): GraphDocument {
  const nodes = [
    n('data', 'dataset', { dataset: 'ring' }),
    n('enc', 'dense', { units: 8, activation: 'relu' }),
    n('mean', 'dense', { units: 2 }),
    n('logvar', 'dense', { units: 2 }),
    n('z', 'reparameterize'),
    n('dec', 'dense', { units: 2 }),
    n('recon', 'reconstruction'),
  ];
  const edges = [
    e('data.x', 'enc.in'),
    e('enc.out', 'mean.in'),
    e('enc.out', 'logvar.in'),
    e('mean.out', 'z.mean'),
    e('logvar.out', 'z.logvar'),
    e('z.z', 'dec.in'),
    e('dec.out', 'recon.pred'),
    e('data.x', 'recon.target'),
  ];
  if (withKl) {
    nodes.push(n('kl', 'klDivergence'));
    edges.push(e('mean.out', 'kl.mean'), e('logvar.out', 'kl.logvar'));
  }
  return doc(nodes, edges);
}

/** A denoiser on 2-D points: ring → addNoise(schedule) → concat(x_t, t) → dense → noisePrediction. */
export function diffusionDoc(): GraphDocument {
  return doc(
    [
      n('data', 'dataset', { dataset: 'ring' }),
      n('sched', 'noiseSchedule', { T: 50 }),
      n('q', 'addNoise'),
      n('cat', 'concat'),
      n('h', 'dense', { units: 8, activation: 'relu' }),
      n('epsHat', 'dense', { units: 2 }),
      n('loss', 'noisePrediction'),
    ],
    [
      e('data.x', 'q.x0'),
      e('sched.schedule', 'q.schedule'),
      e('q.xt', 'cat.a'),
      e('q.t', 'cat.b'),
      e('cat.out', 'h.in'),
      e('h.out', 'epsHat.in'),
      e('epsHat.out', 'loss.pred'),
      e('q.eps', 'loss.eps'),
    ],
  );
}
