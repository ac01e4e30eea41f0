// Runs a compiled graph eagerly and lazily: a value is computed only when something asks for it,
// once per evaluator. Callers wrap an evaluator's life in tf.tidy (or a gradient function).
import * as tf from '@tensorflow/tfjs';
import type { DataBatcher, GroupHandle, PortValue, RunContext, RunMode } from '../../nodes/types';
import type { CompiledGraph } from '../compiler/compile';
import { hashSeed, type BuiltNetwork } from '../compiler/build';
import { refKey, type PortRef } from '../compiler/partition';
import { describeNode } from '../graph/document';

export interface EvalOptions {
  mode: RunMode;
  batchSize: number;
  step: number;
  data: DataBatcher;
  /** Distinguishes evaluators within one step (critic repeats, eval batches) for seeds. */
  salt: number;
  seed: number;
  /** Values forced at ports, e.g. x_t and t while sampling a diffusion model. */
  overrides?: Map<string, PortValue>;
  /** Fresh samples from the graph's sampler, for objectives that generate inside a step. */
  draw?: (count: number, seed: number) => tf.Tensor;
  /**
   * Networks that run as at sampling even in a training step (running statistics, no dropout), and
   * so leave their batch-norm statistics alone: the generator while its discriminator is calibrated.
   */
  inference?: ReadonlySet<string>;
}

export class Evaluator {
  private readonly memo = new Map<string, PortValue>();
  private seedCounter = 0;
  private referenceView: Evaluator | null = null;

  /**
   * With `parent`, this evaluator is the parent's reference view: networks with a frozen reference
   * copy run with the copy's weights, and every value that does not depend on one (data, noise) is
   * the parent's own, so policy and reference see the same batch.
   */
  constructor(
    private readonly graph: CompiledGraph,
    private readonly opts: EvalOptions,
    private readonly parent: Evaluator | null = null,
  ) {}

  tensor(ref: PortRef): tf.Tensor {
    const v = this.value(ref);
    if (!(v instanceof tf.Tensor)) throw new Error(`port "${ref.port}" of node "${ref.node}" does not carry a tensor`);
    return v;
  }

  value(ref: PortRef): PortValue {
    const key = refKey(ref);
    const forced = this.opts.overrides?.get(key);
    if (forced) return forced;
    if (this.parent && !this.graph.references.dependents.has(ref.node)) return this.parent.value(ref);
    const hit = this.memo.get(key);
    if (hit) return hit;
    this.compute(ref.node, ref.port);
    const v = this.memo.get(key);
    if (!v) throw new Error(`node "${ref.node}" produced no "${ref.port}" output`);
    return v;
  }

  private training(): boolean {
    return this.opts.mode === 'train';
  }

  private compute(id: string, port: string): void {
    const g = this.graph;
    const entry = g.checked.nodes.get(id);
    if (!entry) throw new Error(`no node "${id}"`);
    const { def, node } = entry;
    const net = g.networkOf.get(id);
    if (net) {
      const inputs = net.inputs.map((i) => this.tensor(i));
      const out = this.applyNet(net, inputs.length === 1 ? inputs[0] : inputs);
      const outs = Array.isArray(out) ? out : [out];
      net.outputs.forEach((o, i) => this.memo.set(refKey(o), outs[i] as tf.Tensor));
      return;
    }
    if (def.role === 'group') {
      const handle = this.groupHandle(id)!;
      // Only the route asked for: the generator's objective never scores a real batch.
      const route = def.group!.routes.find((r) => r.to === port);
      if (route) this.memo.set(refKey({ node: id, port }), handle.apply(handle.input(route.from)));
      return;
    }
    if (this.opts.mode === 'sample' && def.sampleFromPrior) {
      for (const port of def.outputs) {
        const shape = g.analysis.shapes[id]?.[port.id];
        if (!shape) continue;
        const full = [this.opts.batchSize, ...(shape.slice(1) as number[])];
        this.memo.set(refKey({ node: id, port: port.id }), tf.randomNormal(full, 0, 1, 'float32', this.nextSeed(id)));
      }
      return;
    }
    if (!def.run) throw new Error(`${describeNode(node)} cannot be evaluated`);
    const outs = def.run(this.context(id));
    for (const [port, v] of Object.entries(outs)) this.memo.set(refKey({ node: id, port }), v);
  }

  /** Runs a network, or its frozen reference copy in a reference view. */
  private applyNet(net: BuiltNetwork, x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const frozen = this.parent ? this.graph.references.copies.get(net.name) : undefined;
    // A reference copy is never updated, not even its batch-norm statistics.
    if (frozen) return frozen.model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    return net.model.apply(x, { training: this.training() && !this.opts.inference?.has(net.name) }) as tf.Tensor | tf.Tensor[];
  }

  private nextSeed(id: string): number {
    return hashSeed(this.opts.seed, this.opts.step, this.opts.salt, id, this.seedCounter++);
  }

  private inputRef(id: string, port: string): PortRef | null {
    const e = this.graph.checked.incoming.get(id)?.get(port);
    return e ? { node: e.source, port: e.sourceHandle } : null;
  }

  /** The context a source/op/loss node runs with. */
  context(id: string): RunContext {
    const { params, node } = this.graph.checked.nodes.get(id)!;
    const need = (port: string) => {
      const r = this.inputRef(id, port);
      if (!r) throw new Error(`${describeNode(node)}: input "${port}" is not connected`);
      return r;
    };
    return {
      nodeId: id,
      params,
      mode: this.opts.mode,
      batchSize: this.opts.batchSize,
      step: this.opts.step,
      data: this.opts.data,
      input: (port) => this.tensor(need(port)),
      value: <T,>(port: string) => this.value(need(port)) as T,
      has: (port) => this.inputRef(id, port) !== null,
      seed: () => this.nextSeed(id),
      groupBehind: (port) => {
        const r = this.inputRef(id, port);
        return r ? this.groupHandle(r.node) : null;
      },
      reference: (port) => {
        const r = need(port);
        if (!this.graph.references.dependents.has(r.node))
          throw new Error(`${describeNode(node)}: nothing upstream of input "${port}" has a frozen reference copy`);
        this.referenceView ??= new Evaluator(this.graph, this.opts, this);
        return this.referenceView.tensor(r);
      },
      sample: (count) => {
        if (!this.opts.draw) throw new Error(`${describeNode(node)}: this graph cannot generate inside a training step`);
        return this.opts.draw(count, this.nextSeed(id));
      },
      rerun: (feed) => {
        const overrides = new Map(this.opts.overrides ?? []);
        for (const [port, v] of Object.entries(feed)) overrides.set(refKey(need(port)), v);
        // A fresh evaluator: nothing computed from the replaced values may be reused. Its reference
        // view (if asked for) then sees the same replaced values.
        return new Evaluator(this.graph, { ...this.opts, overrides }).context(id);
      },
    };
  }

  private groupHandle(id: string): GroupHandle | null {
    const entry = this.graph.checked.nodes.get(id);
    if (!entry || entry.def.role !== 'group') return null;
    const net = this.graph.networks.find((n) => n.group === id);
    if (!net) throw new Error(`${describeNode(entry.node)} has no inner network`);
    return {
      params: entry.params,
      input: (port) => {
        const r = this.inputRef(id, port);
        if (!r) throw new Error(`${describeNode(entry.node)}: input "${port}" is not connected`);
        return this.tensor(r);
      },
      apply: (x) => {
        const prepare = entry.def.group?.prepare;
        const optional = (port: string) => (this.inputRef(id, port) ? this.tensor(this.inputRef(id, port)!) : null);
        return this.applyNet(net, prepare ? prepare(x, entry.params, optional) : x) as tf.Tensor;
      },
    };
  }
}
