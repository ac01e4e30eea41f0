// Every node type in the registry has a PyTorch exporter that covers what its role needs, and every
// variant of every loss (each option of each enum param) writes code: a node type or loss variant added
// later without one fails here.
import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../nodes/registry';
import { torchExporterFor } from '../../nodes/torch-exporters';
import { resolveParams } from '../../nodes/params';
import type { TorchGroupRef, TorchStepContext } from '../../nodes/torch-exporter';
import type { AnyNodeDefinition, ParamSchema } from '../../nodes/types';

const NEEDS: Record<AnyNodeDefinition['role'], 'layer' | 'run' | 'loss' | 'group'> = {
  layer: 'layer',
  source: 'run',
  op: 'run',
  loss: 'loss',
  group: 'group',
};

function stepContext(def: AnyNodeDefinition, params: Record<string, unknown>): TorchStepContext {
  // The group behind a port reads as `group_<port>`, so a loss scoring through it counts as reading that port.
  const group = (port: string): TorchGroupRef => ({ params: {}, input: (p) => `D_${p}`, apply: (x) => `group_${port}(${x})` });
  return {
    id: 'n',
    params,
    inputs: Object.fromEntries(def.inputs.map((p) => [p.id, [null, 4]])),
    outputs: Object.fromEntries(def.outputs.map((p) => [p.id, [null, 4]])),
    input: (p) => `in_${p}`,
    has: () => true,
    source: () => null,
    out: (p) => `out_${p}`,
    step: 'step',
    batch: 'B',
    groupBehind: group,
    reference: (p) => `ref_${p}`,
    // A rerun feeds the given ports with new values, so its ports read as `fed_<port>` or `again_<port>`.
    rerun: (feed) => ({ lines: Object.keys(feed).map((p) => `fed_${p} = ${feed[p]}`), input: (p) => `again_${p}`, reference: (p) => `again_ref_${p}` }),
  };
}

/** The params of `def` with each enum param set to each of its options in turn. */
function variants(def: AnyNodeDefinition): Record<string, unknown>[] {
  const base = resolveParams(def, {}).params;
  const out = [base];
  for (const [name, spec] of Object.entries(def.params as ParamSchema)) {
    if (spec.kind !== 'enum') continue;
    for (const option of spec.options) out.push({ ...base, [name]: option, reduction: 'sum' });
  }
  return out;
}

describe('PyTorch exporters', () => {
  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s has an exporter for its role', (_type, def) => {
    const exporter = torchExporterFor(def.type);
    expect(exporter, `node type "${def.type}" has no PyTorch exporter in nodes/torch-exporters.ts`).toBeDefined();
    expect(typeof exporter![NEEDS[def.role]], `the "${def.type}" exporter lacks ${NEEDS[def.role]}()`).toBe('function');
    if (def.sampler) expect(typeof exporter!.sampler, `"${def.type}" declares a sampler, its exporter none`).toBe('function');
    if (def.toData) expect(typeof exporter!.toData, `"${def.type}" turns outputs into data, its exporter does not`).toBe('function');
    if (def.sampleFromPrior) expect(typeof exporter!.sample, `"${def.type}" samples from the prior, its exporter does not`).toBe('function');
  });

  it.each(NODE_TYPES.filter((d) => d.role === 'loss').map((d) => [d.type, d] as const))('every variant of the %s loss writes each objective', (_type, def) => {
    const exporter = torchExporterFor(def.type)!;
    for (const params of variants(def)) {
      for (const objective of def.objectives!(params as never)) {
        const code = exporter.loss!(objective.id, stepContext(def, { ...params, gpWeight: 10, r1Weight: 1 }));
        expect(code.value, `${def.type} ${JSON.stringify(params)} objective ${objective.id}`).toMatch(/\S/);
        // Every input the objective reads appears in its code.
        const text = [...code.lines, code.value].join('\n');
        for (const port of def.inputs) if (objective.id !== 'generator' || port.id === 'fake') expect(text).toMatch(new RegExp(`\\b(in|fed|again|group)_${port.id}\\b`));
      }
    }
  });
});
