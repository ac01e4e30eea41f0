// Writes the statements that compute some of the graph's values in train.py: a training phase's
// objectives, or a batch of samples. Like Genloom's evaluator it computes only what is asked for: a
// unit (a pipeline node, a network, one route through a discriminator group) is written once all it
// reads is written. In a training phase the networks it trains run through their DDP wrappers
// (`run.ddp`), the others as plain modules (`run.nets`), under torch.no_grad() when no gradient
// needs to flow through them.
import { NodeError } from '../../../nodes/types';
import { torchExporterFor } from '../../../nodes/torch-exporters';
import type { TorchGroupRef, TorchRerun, TorchStepContext } from '../../../nodes/torch-exporter';
import type { AnyTorchExporter } from '../../../nodes/torch-exporter';
import { refKey, type NetworkPlan, type PortRef } from '../../compiler/partition';
import { forNode } from './model-py';
import { pyIdent } from './names';
import type { GraphParts } from './parts';

export type EvalMode = { kind: 'train'; trained: ReadonlySet<string> } | { kind: 'sample' };

type Unit =
  | { kind: 'node'; id: string }
  | { kind: 'network'; net: NetworkPlan }
  | { kind: 'route'; group: string; from: string; to: string; net: NetworkPlan };

export interface Evaluation {
  lines: string[];
  helpers: Map<string, string>;
  /** The python variable (or given expression) holding each value computed or given. */
  value(ref: PortRef): string;
  /** Writes what `refs` need (if not yet written). */
  need(refs: PortRef[]): void;
  stepContext(id: string): TorchStepContext;
}

export function exporterOf(parts: GraphParts, id: string): AnyTorchExporter {
  const type = parts.checked.nodes.get(id)!.def.type;
  return forNode(parts, id, () => {
    const e = torchExporterFor(type);
    if (!e) throw new NodeError(`has no PyTorch exporter for its type "${type}"`);
    return e;
  });
}

interface ViewOptions {
  /** Appended to every variable this evaluation names, so several can share one function. */
  suffix?: string;
  /** Makes this the reference view of `parent`: see referenceView. */
  parent?: Evaluation;
  lines?: string[];
  helpers?: Map<string, string>;
}

export function evaluation(parts: GraphParts, mode: EvalMode, batch: string, given: [PortRef, string][] = [], view: ViewOptions = {}): Evaluation {
  const { checked } = parts;
  const order = new Map(parts.analysis.order.map((id, i) => [id, i]));
  const vars = new Map<string, string>(given.map(([r, v]) => [refKey(r), v]));
  const carriesGrad = new Set<string>();
  const lines = view.lines ?? [];
  const helpers = view.helpers ?? new Map<string, string>();
  const written = new Set<string>();
  const suffix = view.suffix ?? '';
  const parent = view.parent;
  let referenceView: Evaluation | null = null;

  const outputsOf = (id: string) => Object.keys(parts.shapes[id] ?? {}).filter((p) => checked.nodes.get(id)!.def.outputs.some((o) => o.id === p));
  const varOf = (ref: PortRef) => {
    const known = vars.get(refKey(ref));
    if (known) return known;
    // A node's own name for its only output, unless python or the script already uses that name.
    const alone = outputsOf(ref.node).length === 1 && pyIdent(ref.node) === ref.node;
    const name = pyIdent(`${alone ? ref.node : `${ref.node}_${ref.port}`}${suffix}`);
    vars.set(refKey(ref), name);
    return name;
  };
  const inputRef = (id: string, port: string) => parts.inputOf(id, port);

  /** The unit that writes `ref`, or null when it is given. */
  function unitOf(ref: PortRef): Unit | null {
    if (vars.has(refKey(ref)) && written.has(refKey(ref))) return null;
    if (parent && !parts.dependents.has(ref.node)) {
      // The reference copies change nothing upstream of them: the same batch and noise are reused.
      parent.need([ref]);
      vars.set(refKey(ref), parent.value(ref));
      written.add(refKey(ref));
      return null;
    }
    const { def } = checked.nodes.get(ref.node)!;
    if (def.role === 'layer') return { kind: 'network', net: parts.networkOf.get(ref.node)! };
    if (def.role === 'group') {
      const route = def.group!.routes.find((r) => r.to === ref.port)!;
      const net = parts.networks.find((n) => n.group === ref.node)!;
      return { kind: 'route', group: ref.node, from: route.from, to: route.to, net };
    }
    return { kind: 'node', id: ref.node };
  }
  const unitKey = (u: Unit) => (u.kind === 'node' ? `node:${u.id}` : u.kind === 'network' ? `net:${u.net.name}` : `route:${u.group}:${u.to}`);

  /**
   * What a unit reads before it is written. A pipeline node pulls its inputs lazily as its exporter
   * asks for them (so sampling's reparameterize, drawing from the prior, needs no encoder).
   */
  function reads(u: Unit): PortRef[] {
    if (u.kind === 'network') return u.net.inputs;
    if (u.kind === 'node') return [];
    // A route reads its own input and the group's inputs no route carries (a conditional GAN's label).
    const { def } = checked.nodes.get(u.group)!;
    const routed = new Set(def.group!.routes.map((r) => r.from));
    const shared = def.inputs.map((p) => p.id).filter((p) => !routed.has(p));
    return [u.from, ...shared].map((p) => inputRef(u.group, p)).filter((r): r is PortRef => r !== null);
  }

  function stepContext(id: string, read: PortRef[] = []): TorchStepContext {
    const { params } = checked.nodes.get(id)!;
    const inputs: Record<string, (number | null)[]> = {};
    for (const [port, e] of checked.incoming.get(id) ?? []) inputs[port] = parts.shapes[e.source][e.sourceHandle];
    return {
      id,
      params,
      inputs,
      outputs: Object.fromEntries(outputsOf(id).map((p) => [p, parts.shapes[id][p]])),
      // Lazy, as Genloom's evaluator: what an objective reads is written when it asks for it.
      input: (port) => {
        const ref = inputRef(id, port);
        if (!ref) throw new NodeError(`needs its "${port}" input connected`);
        need([ref]);
        read.push(ref);
        return varOf(ref);
      },
      has: (port) => inputRef(id, port) !== null,
      source: (port) => {
        const ref = inputRef(id, port);
        const node = ref ? checked.nodes.get(ref.node)! : null;
        return node ? { type: node.def.type, params: node.params } : null;
      },
      out: (port) => varOf({ node: id, port }),
      step: 'run.step',
      batch,
      groupBehind: (port) => groupBehind(id, port),
      reference: (port) => {
        const ref = inputRef(id, port);
        if (!ref) throw new NodeError(`needs its "${port}" input connected`);
        if (!parts.dependents.has(ref.node)) throw new NodeError(`reads "${port}" from the frozen reference copies, but no network upstream of it has one`);
        referenceView ??= evaluation(parts, mode, batch, [], { suffix: `${suffix}_ref`, parent: self, lines, helpers });
        referenceView.need([ref]);
        return referenceView.value(ref);
      },
      rerun: (feed, name) => rerun(id, feed, name),
    };
  }

  /** The graph again, with the values feeding `id`'s ports in `feed` replaced; statements of its own. */
  function rerun(id: string, feed: Record<string, string>, name: string): TorchRerun {
    const replaced: [PortRef, string][] = Object.entries(feed).map(([port, expr]) => {
      const ref = inputRef(id, port);
      if (!ref) throw new NodeError(`needs its "${port}" input connected`);
      return [ref, expr];
    });
    const again = evaluation(parts, mode, batch, replaced, { suffix: `${suffix}_${name}` });
    const ctx = again.stepContext(id);
    for (const [k, v] of again.helpers) helpers.set(k, v);
    return { lines: again.lines, input: ctx.input, reference: ctx.reference };
  }

  /** How a network is called here, and whether its result carries a gradient. */
  function callee(net: NetworkPlan, inputs: PortRef[]): { call: string; grad: boolean; noGrad: boolean } {
    // The reference view: frozen copies where they exist, and no gradient anywhere.
    if (parent) return { call: `run.${parts.references.has(net.name) ? 'reference' : 'nets'}.${pyIdent(net.name)}`, grad: false, noGrad: true };
    if (mode.kind === 'sample') return { call: `nets.${pyIdent(net.name)}`, grad: false, noGrad: false };
    if (mode.trained.has(net.name)) return { call: `run.ddp.${pyIdent(net.name)}`, grad: true, noGrad: false };
    const grad = inputs.some((r) => carriesGrad.has(refKey(r)));
    return { call: `run.nets.${pyIdent(net.name)}`, grad, noGrad: !grad };
  }

  function prepare(group: string, x: string): string {
    const exporter = exporterOf(parts, group);
    const g = forNode(parts, group, () => exporter.group!(stepContext(group)));
    for (const [k, v] of Object.entries(g.helpers ?? {})) helpers.set(k, v);
    return forNode(parts, group, () => g.prepare(x, stepContext(group)));
  }

  function groupBehind(id: string, port: string): TorchGroupRef | null {
    const ref = inputRef(id, port);
    if (!ref || checked.nodes.get(ref.node)?.def.role !== 'group') return null;
    const group = ref.node;
    const net = parts.networks.find((n) => n.group === group)!;
    return {
      params: checked.nodes.get(group)!.params,
      input: (p) => {
        const r = inputRef(group, p);
        if (!r) throw new NodeError(`needs the discriminator's "${p}" input connected`);
        need([r]);
        return varOf(r);
      },
      // A penalty differentiates the critic at new points: a gradient always flows through it.
      apply: (x) => `${mode.kind === 'train' && mode.trained.has(net.name) ? 'run.ddp' : mode.kind === 'train' ? 'run.nets' : 'nets'}.${pyIdent(net.name)}(${prepare(group, x)})`,
    };
  }

  function write(u: Unit) {
    const inputs = reads(u);
    const mark = (refs: PortRef[], grad: boolean) => {
      for (const r of refs) {
        written.add(refKey(r));
        if (grad) carriesGrad.add(refKey(r));
      }
    };
    if (u.kind === 'node') {
      const exporter = exporterOf(parts, u.id);
      const read: PortRef[] = [];
      const ctx = stepContext(u.id, read);
      const code = forNode(parts, u.id, () => {
        const f = mode.kind === 'sample' && exporter.sample ? exporter.sample : exporter.run;
        if (!f) throw new NodeError('has no PyTorch code to compute its outputs');
        return f(ctx);
      });
      lines.push(...code.lines);
      for (const [k, v] of Object.entries(code.helpers ?? {})) helpers.set(k, v);
      mark(outputsOf(u.id).map((port) => ({ node: u.id, port })), read.some((r) => carriesGrad.has(refKey(r))));
      return;
    }
    const { call, grad, noGrad } = callee(u.net, inputs);
    let statement: string;
    let outs: PortRef[];
    if (u.kind === 'network') {
      const args = u.net.inputs.map(varOf).join(', ');
      outs = u.net.outputs;
      statement = `${outs.map(varOf).join(', ')} = ${call}(${args})`;
    } else {
      const x = varOf(inputRef(u.group, u.from)!);
      outs = [{ node: u.group, port: u.to }];
      statement = `${varOf(outs[0])} = ${call}(${prepare(u.group, x)})`;
    }
    lines.push(...(noGrad ? ['with torch.no_grad():', `    ${statement}`] : [statement]));
    mark(outs, grad);
  }

  function need(refs: PortRef[]) {
    // Every unit the refs depend on, then written in an order where each one's reads come first.
    const pending = new Map<string, Unit>();
    const visit = (ref: PortRef) => {
      const u = unitOf(ref);
      if (!u || pending.has(unitKey(u))) return;
      pending.set(unitKey(u), u);
      reads(u).forEach(visit);
    };
    refs.forEach(visit);
    const rank = (u: Unit) => (u.kind === 'node' ? order.get(u.id)! : u.kind === 'network' ? order.get(u.net.nodeIds[0])! : order.get(u.group)!);
    const left = [...pending.values()].sort((a, b) => rank(a) - rank(b));
    while (left.length) {
      const i = left.findIndex((u) => reads(u).every((r) => written.has(refKey(r))));
      if (i < 0) throw new Error(`cannot order the units ${left.map(unitKey).join(', ')}`);
      write(left.splice(i, 1)[0]);
    }
  }

  for (const [r] of given) written.add(refKey(r));
  const self: Evaluation = { lines, helpers, value: varOf, need, stepContext };
  return self;
}


