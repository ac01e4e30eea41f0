// Design checks: graphs that compile but will not learn well, found before anyone waits for them.
// Each finding says why, and most carry a fix as plain data that applyDesignFix() applies, so the
// app offers it as one click and tests apply the same fix in Node. Pure: no tfjs, no React.
import { getNodeDef } from '../../nodes/registry';
import type { AnyNodeDefinition } from '../../nodes/types';
import type { GraphDocument, GraphEdge, GraphNode, TrainingConfig } from '../graph/document';
import type { Analysis } from './analysis';
import { classifies } from '../../nodes/gan/auxiliary-classifier';
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
  check: 'nonlinearity' | 'score-width' | 'output-range' | 'learning-rate' | string;
  /** The reason in a sentence: what goes wrong in training. */
  why: string;
  fix: DesignFix | null;
}

const LINEAR_ACTIVATIONS = new Set(['none', 'linear']);
/** Adam's usual range; outside it training either crawls or blows up. */
export const ADAM_LR_RANGE = { min: 1e-5, max: 1e-2 } as const;

function label(n: GraphNode): string {
  return `${getNodeDef(n.type)?.label.toLowerCase() ?? n.type} “${n.label ?? n.id}”`;
}

interface Ctx {
  doc: GraphDocument;
  def: (n: GraphNode) => AnyNodeDefinition | undefined;
  byId: Map<string, GraphNode>;
  params: (n: GraphNode) => Record<string, unknown>;
  out: (id: string, handle?: string) => GraphEdge[];
  into: (id: string, handle?: string) => GraphEdge[];
}

function context(doc: GraphDocument, analysis: Analysis): Ctx {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  return {
    doc,
    def: (n) => getNodeDef(n.type),
    byId,
    params: (n) => analysis.params[n.id] ?? n.params,
    out: (id, handle) => doc.edges.filter((e) => e.source === id && (handle === undefined || e.sourceHandle === handle)),
    into: (id, handle) => doc.edges.filter((e) => e.target === id && (handle === undefined || e.targetHandle === handle)),
  };
}

// What each node is to these checks, its definition says (its `design` hints); a node without hints
// counts as bending its input, so the checks stay quiet about what they do not know.
const hints = (c: Ctx, n: GraphNode) => c.def(n)?.design;
const bends = (c: Ctx, n: GraphNode) => hints(c, n)?.bends?.(c.params(n) as never) ?? true;
const isWeighted = (c: Ctx, n: GraphNode) => hints(c, n)?.weighted === true;
const isLinearLayer = (c: Ctx, n: GraphNode) => isWeighted(c, n) && !bends(c, n);
const isPass = (c: Ctx, n: GraphNode) => !isWeighted(c, n) && !bends(c, n);
/** A graph with an objective that trains one role against another (a GAN) prefers leaky ReLU. */
const adversarialGraph = (c: Ctx) =>
  c.doc.nodes.some((n) => c.def(n)?.objectives?.(c.params(n) as never).some((o) => o.trains !== 'upstream'));

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
    if (isWeighted(c, n)) return n;
    if (isPass(c, n)) queue.push(...c.out(id).map((e) => e.target));
  }
  return undefined;
}

function checkNonlinearity(c: Ctx): DesignWarning[] {
  const gan = adversarialGraph(c);
  const act = gan ? 'leakyRelu' : 'relu';
  const actName = gan ? 'leaky ReLU' : 'ReLU';
  const found: DesignWarning[] = [];
  for (const n of c.doc.nodes) {
    if (!isLinearLayer(c, n)) continue;
    const next = nextWeighted(c, n);
    const param = hints(c, n)?.activationParam;
    if (!next || !param) continue;
    found.push({
      severity: 'warning', code: 'design', check: 'nonlinearity', nodeId: n.id, field: param,
      message: `${label(n)} feeds ${label(next)} with no nonlinearity between them`,
      why: 'Linear layers in a row compose to a single linear map, so the extra layer adds nothing: the network can only fit straight lines and flat planes (a GAN makes one Gaussian blob).',
      fix: { label: `Use ${actName} in ${label(n)}`, steps: [{ kind: 'set-param', nodeId: n.id, param, value: act }] },
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

/** How many numbers a discriminator's score should have: 1, or 1 + classes when its group classifies (AC-GAN). */
function expectedScoreWidth(c: Ctx, analysis: Analysis, e: GraphEdge): { width: number; what: string } {
  const src = c.byId.get(e.source);
  if (!src || !getNodeDef(src.type)?.group || !classifies(c.params(src))) return { width: 1, what: '1' };
  const labelShape = c.into(src.id, 'label').map((l) => analysis.edgeShapes[l.id])[0];
  const classes = labelShape?.[1];
  return typeof classes === 'number' ? { width: 1 + classes, what: `${1 + classes}: the score, then one logit for each of the ${classes} classes it names` } : { width: 1, what: '1' };
}

function checkScoreWidth(c: Ctx, analysis: Analysis): DesignWarning[] {
  const found: DesignWarning[] = [];
  const seen = new Set<string>();
  for (const loss of c.doc.nodes) {
    const scorePorts = new Set(c.def(loss)?.inputs.filter((p) => p.score).map((p) => p.id));
    for (const e of c.into(loss.id).filter((x) => scorePorts.has(x.targetHandle))) {
      const shape = analysis.edgeShapes[e.id];
      if (!shape || shape.length < 2) continue;
      const width = shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
      const expected = expectedScoreWidth(c, analysis, e);
      const last = producer(c, e);
      if (width === expected.width || !last || seen.has(last.id)) continue;
      seen.add(last.id);
      const widthParam = hints(c, last)?.widthParam;
      found.push({
        severity: 'warning', code: 'design', check: 'score-width', nodeId: last.id, field: widthParam,
        message: `the discriminator's score from ${label(last)} has ${width} number${width === 1 ? '' : 's'} per example; it should have ${expected.what}`,
        why: expected.width === 1
          ? 'The adversarial loss treats each of the numbers as a separate real-or-fake guess and averages them, so the discriminator judges pieces instead of the whole example, and its gradient tells the generator little.'
          : 'A discriminator that classifies its label (AC-GAN) gives the real-or-fake score first and then one logit per class; any other width cannot be split into the two, and training stops at its first step.',
        fix: widthParam ? { label: `Set ${label(last)} to ${expected.width} units`, steps: [{ kind: 'set-param', nodeId: last.id, param: widthParam, value: expected.width }] } : null,
      });
    }
  }
  return found;
}

/** The activation that bounds a node's output, and the param that sets it; undefined when it has none to set. */
function finalActivation(c: Ctx, n: GraphNode): { act: string; param: string } | undefined {
  const param = hints(c, n)?.activationParam;
  return param ? { act: String(c.params(n)[param] ?? 'none'), param } : undefined;
}

function checkOutputRange(c: Ctx): DesignWarning[] {
  const found: DesignWarning[] = [];
  for (const d of c.doc.nodes.filter((n) => c.def(n)?.group)) {
    // The generated input is the port that names a role for what feeds it; the data come in beside it.
    const ports = c.def(d)!.inputs;
    const fake = ports.filter((p) => p.role).flatMap((p) => c.into(d.id, p.id))[0];
    const real = ports.filter((p) => !p.role).flatMap((p) => c.into(d.id, p.id));
    const gen = fake && c.byId.get(fake.source);
    const data = real.map((e) => c.byId.get(e.source)).find((n) => n && hints(c, n)?.examples);
    const info = data && hints(c, data)!.examples!(c.params(data) as never);
    const final = gen && finalActivation(c, gen);
    if (!gen || !info || !final) continue;
    const { act, param } = final;
    if (info.kind === 'images' && act !== 'tanh') {
      const range = act === 'sigmoid' ? 'in (0, 1)' : act === 'relu' ? 'never negative' : LINEAR_ACTIVATIONS.has(act) ? 'unbounded' : `shaped by ${act}`;
      found.push({
        severity: 'warning', code: 'design', check: 'output-range', nodeId: gen.id, field: param,
        message: `the generator's output from ${label(gen)} is ${range}, but the images are in [−1, 1]`,
        why: 'The discriminator tells real from fake by the range alone when they differ, so the generator spends its training on reaching the right range; tanh gives exactly [−1, 1].',
        fix: { label: `Use tanh in ${label(gen)}`, steps: [{ kind: 'set-param', nodeId: gen.id, param, value: 'tanh' }] },
      });
    } else if (info.kind === 'points' && !LINEAR_ACTIVATIONS.has(act) && act !== 'leakyRelu') {
      const range = act === 'tanh' ? '(−1, 1)' : act === 'sigmoid' ? '(0, 1)' : 'bounded on one side';
      found.push({
        severity: 'warning', code: 'design', check: 'output-range', nodeId: gen.id, field: param,
        message: `the generator's output from ${label(gen)} is ${range}, but the ${info.label.toLowerCase()} reaches about ±2`,
        why: 'Points outside the activation’s range can never be generated, so the modes out there are lost however long it trains; a linear output reaches the whole plane.',
        fix: { label: `Use no activation in ${label(gen)}`, steps: [{ kind: 'set-param', nodeId: gen.id, param, value: 'none' }] },
      });
    }
  }
  return found;
}

/** A node's declared requirement that is missing from the graph, where its definition says how to add it. */
function checkRequirementFixes(c: Ctx): DesignWarning[] {
  const types = new Set(c.doc.nodes.map((n) => n.type));
  const found: DesignWarning[] = [];
  for (const n of c.doc.nodes) {
    for (const req of c.def(n)?.requires ?? []) {
      if (!req.fix || req.where !== 'graph' || types.has(req.type)) continue;
      const wires = req.fix.inputs.map((w) => ({ w, e: c.into(n.id, w.from)[0] }));
      const fix: DesignFix | null = wires.every((x) => x.e)
        ? {
            label: `Add a ${getNodeDef(req.type)?.label ?? req.type} loss`.replace(/ loss loss$/, ' loss'),
            steps: [{
              kind: 'add-node', type: req.type, idBase: req.fix.idBase, position: { x: n.position.x, y: n.position.y + 200 },
              inputs: wires.map(({ w, e }) => ({ targetHandle: w.to, source: e!.source, sourceHandle: e!.sourceHandle })),
            }],
          }
        : null;
      found.push({ severity: 'warning', code: 'design', check: req.fix.check, nodeId: n.id, message: `${label(n)} ${req.message}`, why: req.fix.why, fix });
    }
  }
  return found;
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
  // The training settings' rate drives every loss but those whose definitions hold rates of their own.
  const own = c.doc.nodes.filter((n) => hints(c, n)?.learningRateParams?.length);
  const others = c.doc.nodes.some((n) => c.def(n)?.role === 'loss' && !hints(c, n)?.learningRateParams?.length);
  const lr = c.doc.training.learningRate;
  if (others && out(lr)) found.push(lrWarning(undefined, 'training.learningRate', lr, 'The learning rate', { kind: 'set-training', field: 'learningRate', value: 1e-3 }));
  for (const n of own) {
    for (const key of hints(c, n)!.learningRateParams!) {
      const v = Number(c.params(n)[key]);
      const name = String((c.def(n)!.params[key] as { label?: string } | undefined)?.label ?? key);
      if (Number.isFinite(v) && out(v)) found.push(lrWarning(n.id, key, v, `${label(n)}'s ${name}`, { kind: 'set-param', nodeId: n.id, param: key, value: 2e-4 }));
    }
  }
  return found;
}

/** A node whose input comes from a node with a param its maths does not support (one-click fix: set it). */
function checkUpstreamParams(c: Ctx): DesignWarning[] {
  const found: DesignWarning[] = [];
  for (const n of c.doc.nodes) {
    for (const need of hints(c, n)?.upstreamParams ?? []) {
      for (const e of c.into(n.id, need.port)) {
        const src = c.byId.get(e.source);
        const have = src && c.params(src)[need.param];
        if (!src || have === undefined || have === need.value) continue;
        found.push({
          severity: 'warning', code: 'design', check: 'upstream-param', nodeId: n.id, field: need.port,
          message: `${label(n)} needs ${label(src)}'s ${need.param} to be ${need.value}, not ${String(have)}`,
          why: need.why,
          fix: { label: `Set ${need.param} to ${need.value}`, steps: [{ kind: 'set-param', nodeId: src.id, param: need.param, value: need.value }] },
        });
      }
    }
  }
  return found;
}

/**
 * Rejection sampling and latent Langevin steps read a log-loss discriminator's logit as log p_data/p_g,
 * which no other loss trains it to be unless calibration refits it with the log-loss; and calibration
 * serves nothing else.
 */
function checkRejectionScore(c: Ctx): DesignWarning[] {
  const found: DesignWarning[] = [];
  for (const loss of c.doc.nodes) {
    if (loss.type !== 'adversarial') continue;
    const { variant, calibrationSteps } = c.params(loss);
    const calibrated = Number(calibrationSteps ?? 0) > 0;
    for (const e of c.into(loss.id, 'real')) {
      const group = c.byId.get(e.source);
      if (!group || group.type !== 'discriminator') continue;
      const rejects = c.params(group).rejection === 'drs';
      const refines = Number(c.params(group).langevinSteps ?? 0) > 0;
      if (rejects && variant !== 'nonSaturating' && !calibrated)
        found.push({
          severity: 'warning', code: 'design', check: 'rejection-score', nodeId: group.id, field: 'rejection',
          message: `${label(group)} samples by rejection, but ${label(loss)} trains it with the ${String(variant)} loss`,
          why: "rejection sampling keeps a sample by the discriminator's estimate of how much likelier real data is there, which only the non-saturating (log) loss trains its score to be; with this loss it keeps samples by a score that means something else, unless calibration steps refit it with the log-loss",
          fix: { label: 'Turn rejection sampling off', steps: [{ kind: 'set-param', nodeId: group.id, param: 'rejection', value: 'off' }] },
        });
      if (refines && variant !== 'nonSaturating' && !calibrated)
        found.push({
          severity: 'warning', code: 'design', check: 'langevin-score', nodeId: group.id, field: 'langevinSteps',
          message: `${label(group)} moves its samples by Langevin steps, but ${label(loss)} trains it with the ${String(variant)} loss`,
          why: "latent Langevin steps climb the discriminator's estimate of how much likelier real data is at a sample, which only the non-saturating (log) loss trains its score to be; with this loss they climb a score that means something else, unless calibration steps refit it with the log-loss",
          fix: { label: 'Turn the Langevin steps off', steps: [{ kind: 'set-param', nodeId: group.id, param: 'langevinSteps', value: 0 }] },
        });
      if (!rejects && !refines && calibrated)
        found.push({
          severity: 'warning', code: 'design', check: 'calibration-unused', nodeId: loss.id, field: 'calibrationSteps',
          message: `${label(loss)} calibrates ${label(group)} for ${String(calibrationSteps)} steps, but it does not sample by rejection or Langevin steps`,
          why: 'calibration refits the discriminator to the finished generator for rejection sampling and Langevin steps alone; without them those steps change nothing the model samples',
          fix: { label: 'Drop the calibration steps', steps: [{ kind: 'set-param', nodeId: loss.id, param: 'calibrationSteps', value: 0 }] },
        });
    }
  }
  return found;
}

/** The truncation trick cuts a normal distribution's tails; uniform noise has none to cut. */
function checkTruncation(c: Ctx): DesignWarning[] {
  return c.doc.nodes
    .filter((n) => n.type === 'noise' && c.params(n).distribution === 'uniform' && Number(c.params(n).truncation ?? 0) > 0)
    .map((n) => ({
      severity: 'warning' as const, code: 'design' as const, check: 'truncation-uniform', nodeId: n.id, field: 'truncation',
      message: `${label(n)} truncates its noise at ${String(c.params(n).truncation)}, but draws it from U(-1, 1)`,
      why: 'truncation redraws normal noise beyond ± the bound; uniform noise is sampled unchanged, so the setting does nothing',
      fix: { label: 'Turn truncation off', steps: [{ kind: 'set-param' as const, nodeId: n.id, param: 'truncation', value: 0 }] },
    }));
}

/** Every design warning for the document; needs the fast passes' analysis (params with defaults, edge shapes). */
export function designChecks(doc: GraphDocument, analysis: Analysis): DesignWarning[] {
  const c = context(doc, analysis);
  return [...checkNonlinearity(c), ...checkScoreWidth(c, analysis), ...checkOutputRange(c), ...checkRequirementFixes(c), ...checkLearningRate(c), ...checkUpstreamParams(c), ...checkRejectionScore(c), ...checkTruncation(c)];
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
