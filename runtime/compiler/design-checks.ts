// Design checks: graphs that compile but will not learn well, found before anyone waits for them.
// Each finding says why, and most carry a fix as plain data that applyDesignFix() applies, so the
// app offers it as one click and tests apply the same fix in Node. Pure: no tfjs, no React.
import { DATASETS } from '../../nodes/datasets';
import { getNodeDef } from '../../nodes/registry';
import type { GraphDocument, GraphEdge, GraphNode, TrainingConfig } from '../graph/document';
import type { Analysis } from './analysis';
import type { Diagnostic } from '../graph/diagnostics';

export type FixStep =
  | { kind: 'set-param'; nodeId: string; param: string; value: unknown }
  | { kind: 'set-training'; field: keyof TrainingConfig; value: number }
  /** Adds a node (its id is made unique when applied) and wires the listed outputs into its inputs. */
  | { kind: 'add-node'; type: string; idBase: string; position: { x: number; y: number }; inputs: { targetHandle: string; source: string; sourceHandle: string }[] };

export interface DesignFix {
  /** What the button says, e.g. "Use leaky ReLU in dense “g1”". */
  label: string;
  steps: FixStep[];
}

export interface DesignWarning extends Diagnostic {
  severity: 'warning';
  code: 'design';
  /** Which check found it: one word, stable, for tests and the UI. */
  check: 'nonlinearity' | 'score-width' | 'output-range' | 'kl-term' | 'learning-rate';
  /** The reason in a sentence: what goes wrong in training. */
  why: string;
  fix: DesignFix | null;
}

/** Layers whose weights make a linear map unless their own activation bends it. */
const WEIGHTED = new Set(['dense', 'conv2d', 'conv2dTranspose']);
/** Nodes that keep a map linear: a weighted layer behind them still composes with the one before. */
const LINEAR_PASS = new Set(['reshape', 'flatten', 'dropout', 'concat', 'add', 'upsample', 'batchNorm']);
const LINEAR_ACTIVATIONS = new Set(['none', 'linear']);
/** Adam's usual range; outside it training either crawls or blows up. */
export const ADAM_LR_RANGE = { min: 1e-5, max: 1e-2 } as const;

function label(n: GraphNode): string {
  return `${getNodeDef(n.type)?.label.toLowerCase() ?? n.type} “${n.label ?? n.id}”`;
}

interface Ctx {
  doc: GraphDocument;
  byId: Map<string, GraphNode>;
  params: (n: GraphNode) => Record<string, unknown>;
  out: (id: string, handle?: string) => GraphEdge[];
  into: (id: string, handle?: string) => GraphEdge[];
}

function context(doc: GraphDocument, analysis: Analysis): Ctx {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  return {
    doc,
    byId,
    params: (n) => analysis.params[n.id] ?? n.params,
    out: (id, handle) => doc.edges.filter((e) => e.source === id && (handle === undefined || e.sourceHandle === handle)),
    into: (id, handle) => doc.edges.filter((e) => e.target === id && (handle === undefined || e.targetHandle === handle)),
  };
}

const isLinearLayer = (c: Ctx, n: GraphNode) => WEIGHTED.has(n.type) && LINEAR_ACTIVATIONS.has(String(c.params(n).activation ?? 'none'));
const isPass = (c: Ctx, n: GraphNode) =>
  LINEAR_PASS.has(n.type) || (n.type === 'pooling' && c.params(n).mode === 'avg') || (n.type === 'activation' && LINEAR_ACTIVATIONS.has(String(c.params(n).activation)));

/** The weighted layer that `start` reaches through linear nodes only, if any. */
function nextWeighted(c: Ctx, start: GraphNode): GraphNode | undefined {
  const seen = new Set<string>([start.id]);
  const queue = c.out(start.id).map((e) => e.target);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = c.byId.get(id);
    if (!n) continue;
    if (WEIGHTED.has(n.type)) return n;
    if (isPass(c, n)) queue.push(...c.out(id).map((e) => e.target));
  }
  return undefined;
}

function checkNonlinearity(c: Ctx): DesignWarning[] {
  const gan = c.doc.nodes.some((n) => n.type === 'adversarial');
  const act = gan ? 'leakyRelu' : 'relu';
  const actName = gan ? 'leaky ReLU' : 'ReLU';
  const found: DesignWarning[] = [];
  for (const n of c.doc.nodes) {
    if (!isLinearLayer(c, n)) continue;
    const next = nextWeighted(c, n);
    if (!next) continue;
    found.push({
      severity: 'warning', code: 'design', check: 'nonlinearity', nodeId: n.id, field: 'activation',
      message: `${label(n)} feeds ${label(next)} with no nonlinearity between them`,
      why: 'Linear layers in a row compose to a single linear map, so the extra layer adds nothing: the network can only fit straight lines and flat planes (a GAN makes one Gaussian blob).',
      fix: { label: `Use ${actName} in ${label(n)}`, steps: [{ kind: 'set-param', nodeId: n.id, param: 'activation', value: act }] },
    });
  }
  return found;
}

/** The node whose output a group's route (or a plain wire) finally delivers, following a group to its inner output. */
function producer(c: Ctx, e: GraphEdge): GraphNode | undefined {
  const src = c.byId.get(e.source);
  if (!src) return undefined;
  const spec = getNodeDef(src.type)?.group;
  if (!spec) return src;
  const inner = c.into(src.id, spec.innerOutput)[0];
  return inner ? c.byId.get(inner.source) : undefined;
}

function checkScoreWidth(c: Ctx, analysis: Analysis): DesignWarning[] {
  const found: DesignWarning[] = [];
  const seen = new Set<string>();
  for (const loss of c.doc.nodes.filter((n) => n.type === 'adversarial')) {
    for (const e of c.into(loss.id)) {
      const shape = analysis.edgeShapes[e.id];
      if (!shape || shape.length < 2) continue;
      const width = shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
      const last = producer(c, e);
      if (width <= 1 || !last || seen.has(last.id)) continue;
      seen.add(last.id);
      const fixable = last.type === 'dense';
      found.push({
        severity: 'warning', code: 'design', check: 'score-width', nodeId: last.id, field: fixable ? 'units' : undefined,
        message: `the discriminator's score from ${label(last)} has ${width} numbers per example; it should have 1`,
        why: 'The adversarial loss treats each of the numbers as a separate real-or-fake guess and averages them, so the discriminator judges pieces instead of the whole example, and its gradient tells the generator little.',
        fix: fixable ? { label: `Set ${label(last)} to 1 unit`, steps: [{ kind: 'set-param', nodeId: last.id, param: 'units', value: 1 }] } : null,
      });
    }
  }
  return found;
}

/** The activation that bounds a node's output, and where to change it; undefined when it has none to set. */
function finalActivation(c: Ctx, n: GraphNode): string | undefined {
  if (WEIGHTED.has(n.type) || n.type === 'activation') return String(c.params(n).activation ?? 'none');
  return undefined;
}

function checkOutputRange(c: Ctx): DesignWarning[] {
  const found: DesignWarning[] = [];
  for (const d of c.doc.nodes.filter((n) => getNodeDef(n.type)?.group)) {
    const real = c.into(d.id, 'real')[0];
    const fake = c.into(d.id, 'fake')[0];
    const data = real && c.byId.get(real.source);
    const gen = fake && c.byId.get(fake.source);
    if (!data || !gen || data.type !== 'dataset') continue;
    const info = DATASETS[String(c.params(data).dataset)];
    const act = finalActivation(c, gen);
    if (!info || act === undefined) continue;
    if (info.kind === 'image' && act !== 'tanh') {
      const range = act === 'sigmoid' ? 'in (0, 1)' : act === 'relu' ? 'never negative' : LINEAR_ACTIVATIONS.has(act) ? 'unbounded' : `shaped by ${act}`;
      found.push({
        severity: 'warning', code: 'design', check: 'output-range', nodeId: gen.id, field: 'activation',
        message: `the generator's output from ${label(gen)} is ${range}, but the images are in [−1, 1]`,
        why: 'The discriminator tells real from fake by the range alone when they differ, so the generator spends its training on reaching the right range; tanh gives exactly [−1, 1].',
        fix: { label: `Use tanh in ${label(gen)}`, steps: [{ kind: 'set-param', nodeId: gen.id, param: 'activation', value: 'tanh' }] },
      });
    } else if (info.kind === 'points' && !LINEAR_ACTIVATIONS.has(act) && act !== 'leakyRelu') {
      const range = act === 'tanh' ? '(−1, 1)' : act === 'sigmoid' ? '(0, 1)' : 'bounded on one side';
      found.push({
        severity: 'warning', code: 'design', check: 'output-range', nodeId: gen.id, field: 'activation',
        message: `the generator's output from ${label(gen)} is ${range}, but the ${info.label.toLowerCase()} reaches about ±2`,
        why: 'Points outside the activation’s range can never be generated, so the modes out there are lost however long it trains; a linear output reaches the whole plane.',
        fix: { label: `Use no activation in ${label(gen)}`, steps: [{ kind: 'set-param', nodeId: gen.id, param: 'activation', value: 'none' }] },
      });
    }
  }
  return found;
}

function checkKlTerm(c: Ctx): DesignWarning[] {
  if (c.doc.nodes.some((n) => n.type === 'klDivergence')) return [];
  return c.doc.nodes.filter((n) => n.type === 'reparameterize').map((n) => {
    const mean = c.into(n.id, 'mean')[0];
    const logvar = c.into(n.id, 'logvar')[0];
    const fix: DesignFix | null = mean && logvar
      ? {
          label: 'Add a KL divergence loss',
          steps: [{
            kind: 'add-node', type: 'klDivergence', idBase: 'kl', position: { x: n.position.x, y: n.position.y + 200 },
            inputs: [
              { targetHandle: 'mean', source: mean.source, sourceHandle: mean.sourceHandle },
              { targetHandle: 'logvar', source: logvar.source, sourceHandle: logvar.sourceHandle },
            ],
          }],
        }
      : null;
    return {
      severity: 'warning' as const, code: 'design' as const, check: 'kl-term' as const, nodeId: n.id,
      message: `${label(n)} has no KL divergence loss on its mean and log-variance`,
      why: 'Without the KL term nothing pulls the codes towards N(0, I): the encoder spreads them anywhere, and samples drawn from N(0, I) decode to noise. It is then a plain autoencoder.',
      fix,
    };
  });
}

function lrWarning(nodeId: string | undefined, field: string, lr: number, where: string, step: FixStep): DesignWarning {
  const low = lr < ADAM_LR_RANGE.min;
  return {
    severity: 'warning', code: 'design', check: 'learning-rate', nodeId, field,
    message: `${where} is ${lr}, ${low ? 'below' : 'above'} Adam's usual ${ADAM_LR_RANGE.min}–${ADAM_LR_RANGE.max}`,
    why: low
      ? 'Steps this small barely move the weights: the loss will look flat for thousands of steps.'
      : 'Steps this large overshoot: losses jump around or turn NaN, and GANs collapse.',
    fix: { label: `Set it to ${step.kind === 'set-param' ? String(step.value) : '0.001'}`, steps: [step] },
  };
}

function checkLearningRate(c: Ctx): DesignWarning[] {
  const out = (lr: number) => lr < ADAM_LR_RANGE.min || lr > ADAM_LR_RANGE.max;
  const found: DesignWarning[] = [];
  const adversarial = c.doc.nodes.filter((n) => n.type === 'adversarial');
  // The training settings' rate drives every loss but the adversarial one, which has its own two.
  const others = c.doc.nodes.some((n) => getNodeDef(n.type)?.role === 'loss' && n.type !== 'adversarial');
  const lr = c.doc.training.learningRate;
  if (others && out(lr)) found.push(lrWarning(undefined, 'training.learningRate', lr, 'The learning rate', { kind: 'set-training', field: 'learningRate', value: 1e-3 }));
  for (const n of adversarial) {
    for (const key of ['lrD', 'lrG'] as const) {
      const v = Number(c.params(n)[key]);
      if (Number.isFinite(v) && out(v)) found.push(lrWarning(n.id, key, v, `${label(n)}'s ${key === 'lrD' ? 'D' : 'G'} learning rate`, { kind: 'set-param', nodeId: n.id, param: key, value: 2e-4 }));
    }
  }
  return found;
}

/** Every design warning for the document; needs the fast passes' analysis (params with defaults, edge shapes). */
export function designChecks(doc: GraphDocument, analysis: Analysis): DesignWarning[] {
  const c = context(doc, analysis);
  return [...checkNonlinearity(c), ...checkScoreWidth(c, analysis), ...checkOutputRange(c), ...checkKlTerm(c), ...checkLearningRate(c)];
}

function uniqueId(doc: GraphDocument, base: string): string {
  const taken = new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id)]);
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** The document with the fix applied; throws naming the node when the fix no longer fits the graph. */
export function applyDesignFix(doc: GraphDocument, fix: DesignFix): GraphDocument {
  const next = structuredClone(doc);
  for (const step of fix.steps) {
    if (step.kind === 'set-param') {
      const n = next.nodes.find((x) => x.id === step.nodeId);
      if (!n) throw new Error(`fix "${fix.label}": node "${step.nodeId}" is no longer in the graph`);
      n.params[step.param] = step.value;
    } else if (step.kind === 'set-training') {
      (next.training as unknown as Record<string, number>)[step.field] = step.value;
    } else {
      const id = uniqueId(next, step.idBase);
      next.nodes.push({ id, type: step.type, position: { ...step.position }, params: {} });
      for (const w of step.inputs) {
        if (!next.nodes.some((x) => x.id === w.source)) throw new Error(`fix "${fix.label}": node "${w.source}" is no longer in the graph`);
        next.edges.push({ id: uniqueId(next, 'e'), source: w.source, sourceHandle: w.sourceHandle, target: id, targetHandle: w.targetHandle });
      }
    }
  }
  return next;
}
