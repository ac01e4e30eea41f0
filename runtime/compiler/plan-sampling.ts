// Pass 6, plan sampling: how to generate from the trained graph, read off its pipeline nodes.
import type { Shape, ShapeMap } from '../../nodes/types';
import type { PortRef } from './partition';
import { upstreamNodes } from './plan';
import type { Checked } from './structure';

export type SamplingPlan =
  /** GAN: noise through the generator; the value the discriminator sees as fake. */
  | { kind: 'generator'; target: PortRef; shape: Shape }
  /** VAE: N(0, I) in place of `prior`'s output, through the decoder to `target`; `data` for reconstructions. */
  | { kind: 'prior'; prior: string; target: PortRef; data: PortRef; shape: Shape }
  /** Diffusion: the reverse process around the denoiser, which maps (x_t, t) of `addNoise` to ε̂ at `epsHat`. */
  | { kind: 'diffusion'; addNoise: string; epsHat: PortRef; schedule: PortRef; shape: Shape }
  /** Language model: tokens in at `text`'s output, logits out at `logits`. */
  | { kind: 'language'; text: string; logits: PortRef; contextLength: number }
  | { kind: 'none' };

const inputRef = (checked: Checked, node: string, port: string): PortRef | null => {
  const e = checked.incoming.get(node)?.get(port);
  return e ? { node: e.source, port: e.sourceHandle } : null;
};

export function planSampling(checked: Checked, shapes: Record<string, ShapeMap>): SamplingPlan {
  const shapeOf = (r: PortRef) => shapes[r.node]?.[r.port];
  const all = [...checked.nodes.values()];
  for (const { node, def } of all) {
    if (def.role !== 'group') continue;
    const target = inputRef(checked, node.id, 'fake');
    if (target && shapeOf(target)) return { kind: 'generator', target, shape: shapeOf(target)! };
  }
  const losses = all.filter((n) => n.def.role === 'loss');
  for (const { node, def } of all) {
    if (!def.sampleFromPrior) continue;
    // The decoder's output is the loss input that the prior node feeds; the other input is the data.
    for (const loss of losses) {
      const ports = loss.def.inputs.map((p) => p.id);
      const fed = ports.find((p) => {
        const r = inputRef(checked, loss.node.id, p);
        return r && upstreamNodes(checked, r.node).has(node.id);
      });
      const other = ports.find((p) => p !== fed);
      const target = fed ? inputRef(checked, loss.node.id, fed) : null;
      const data = other ? inputRef(checked, loss.node.id, other) : null;
      if (target && data && shapeOf(target)) return { kind: 'prior', prior: node.id, target, data, shape: shapeOf(target)! };
    }
  }
  for (const { node } of all) {
    if (node.type !== 'addNoise') continue;
    const schedule = inputRef(checked, node.id, 'schedule');
    const x0 = inputRef(checked, node.id, 'x0');
    for (const loss of losses) {
      const pred = inputRef(checked, loss.node.id, 'pred');
      if (pred && schedule && x0 && upstreamNodes(checked, pred.node).has(node.id))
        return { kind: 'diffusion', addNoise: node.id, epsHat: pred, schedule, shape: shapeOf(x0)! };
    }
  }
  for (const { node, params } of all) {
    if (node.type !== 'textDataset') continue;
    for (const loss of losses) {
      const logits = inputRef(checked, loss.node.id, 'logits');
      if (logits && upstreamNodes(checked, logits.node).has(node.id))
        return { kind: 'language', text: node.id, logits, contextLength: Number(params.contextLength) };
    }
  }
  return { kind: 'none' };
}

/** What a sample of this shape looks like to a person. */
export function sampleKindOf(plan: SamplingPlan): 'images' | 'points' | 'text' | 'none' {
  if (plan.kind === 'none') return 'none';
  if (plan.kind === 'language') return 'text';
  const s = plan.shape;
  if (s.length === 4) return 'images';
  if (s.length === 2 && s[1] === 2) return 'points';
  return 'none';
}
