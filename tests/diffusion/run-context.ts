// A RunContext for running one source/op/loss node in a test, fed from fixed inputs.
import type * as tf from '@tensorflow/tfjs';
import { resolveParams } from '../../nodes/params';
import type { AnyNodeDefinition, PortValue, RunContext, RunMode } from '../../nodes/types';

export function runContext(
  def: AnyNodeDefinition,
  inputs: Record<string, PortValue>,
  opts: { params?: Record<string, unknown>; step?: number; mode?: RunMode; seed?: number; batchSize?: number } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any node's run takes it
): RunContext<any> {
  const { params, problems } = resolveParams(def, opts.params ?? {});
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  let seed = opts.seed ?? 1;
  const get = (port: string) => {
    if (!(port in inputs)) throw new Error(`input "${port}" is not connected`);
    return inputs[port];
  };
  return {
    nodeId: 'n',
    params,
    mode: opts.mode ?? 'train',
    batchSize: opts.batchSize ?? 4,
    step: opts.step ?? 0,
    input: (port) => get(port) as tf.Tensor,
    value: <T,>(port: string) => get(port) as T,
    has: (port) => port in inputs,
    seed: () => seed++,
    data: { batch: () => { throw new Error('no data in this test'); } },
    groupBehind: () => null,
    reference: () => { throw new Error('no reference networks in this test'); },
    sample: () => { throw new Error('no sampler in this test'); },
    rerun: () => { throw new Error('no graph to rerun in this test'); },
  };
}
