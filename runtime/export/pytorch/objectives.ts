// train.py's objective functions (one per training phase) and its sample function, written from the
// compiler's plans with each node's exporter.
import { NodeError } from '../../../nodes/types';
import type { Phase } from '../../compiler/plan';
import type { PortRef } from '../../compiler/partition';
import { evaluation, exporterOf } from './evaluate';
import { forNode } from './model-py';
import { indent, pyIdent } from './names';
import type { GraphParts } from './parts';

export interface PythonFunction {
  name: string;
  source: string;
  helpers: Map<string, string>;
}

/** The python name of an objective's value: `loss_discriminator`, or the loss node's for a lone `loss`. */
function objectiveVar(lossNode: string, id: string): string {
  return id === 'loss' ? pyIdent(lossNode) : pyIdent(`${lossNode}_${id}`);
}

/** `main_losses` in the base stage, `policy_main_losses` in a later one. */
export function phaseFunctionName(phase: Phase): string {
  return `${phaseName(phase)}_losses`;
}

export function phaseName(phase: Phase): string {
  return phase.stage === 'base' ? phase.name : `${phase.stage}_${phase.name}`;
}

export function phaseFunction(parts: GraphParts, phase: Phase): PythonFunction {
  const ev = evaluation(parts, { kind: 'train', trained: new Set(phase.networks) }, 'run.batch');
  const results: string[] = [];
  for (const o of phase.objectives) {
    const exporter = exporterOf(parts, o.lossNode);
    const code = forNode(parts, o.lossNode, () => {
      if (!exporter.loss) throw new NodeError('has no PyTorch code for its objectives');
      return exporter.loss(o.def.id, ev.stepContext(o.lossNode));
    });
    for (const [k, v] of Object.entries(code.helpers ?? {})) ev.helpers.set(k, v);
    const v = objectiveVar(o.lossNode, o.def.id);
    ev.lines.push(...code.lines, `${v} = ${code.value}`);
    if (code.terms) ev.lines.push(`run.terms[${JSON.stringify(o.key)}] = ${code.terms}`);
    results.push(`${JSON.stringify(o.key)}: ${v}`);
  }
  const what = phase.objectives.map((o) => `"${o.key}"`).join(', ');
  const source = [
    `def ${phaseFunctionName(phase)}(run):`,
    `    """The ${phase.stage === 'base' ? '' : `${phase.stage} stage's `}${phase.name} phase's objectives (${what}), training ${phase.networks.join(', ')}."""`,
    ...indent(ev.lines),
    `    return {${results.join(', ')}}`,
  ].join('\n');
  return { name: phaseFunctionName(phase), source, helpers: ev.helpers };
}

/** sample(run, nets, count), or null when the graph samples nothing (a classifier). */
export function sampleFunction(parts: GraphParts): PythonFunction | null {
  const plan = parts.sampling;
  if (!plan) return null;
  const exporter = exporterOf(parts, plan.node);
  if (!exporter.sampler) return null;
  const helpers = new Map<string, string>();
  const code = forNode(parts, plan.node, () =>
    exporter.sampler!({
      id: plan.node,
      params: parts.checked.nodes.get(plan.node)!.params,
      plan,
      evaluate(ref: PortRef, given: [PortRef, string][] = []) {
        const ev = evaluation(parts, { kind: 'sample' }, 'count', given);
        ev.need([ref]);
        for (const [k, v] of ev.helpers) helpers.set(k, v);
        return { lines: ev.lines, value: ev.value(ref) };
      },
      toData(at, x) {
        const node = parts.checked.nodes.get(at.node)!;
        const e = exporterOf(parts, at.node);
        return e.toData ? e.toData(node.params, x) : x;
      },
      paramsOf: (id) => parts.checked.nodes.get(id)!.params,
      inputOf: parts.inputOf,
    }),
  );
  for (const [k, v] of Object.entries(code.helpers ?? {})) helpers.set(k, v);
  const kind = plan.output === 'images' ? 'images (count, C, H, W) in [-1, 1]' : plan.output === 'points' ? 'points (count, 2)' : 'texts';
  const source = [
    '@torch.no_grad()',
    'def sample(run, nets, count):',
    `    """count samples: ${kind}."""`,
    ...indent(code.lines),
    `    return ${code.value}`,
  ].join('\n');
  return { name: 'sample', source, helpers };
}
