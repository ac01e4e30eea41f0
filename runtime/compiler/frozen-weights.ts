// Which tfjs weights the optimizers may change. A layer node's weights live in layers named after it
// (`tfName(id)`, or `tfName(id)__part` for nodes made of several layers), so each weight is traced to
// its node and dropped from the variable lists when that node is frozen.
import type * as tf from '@tensorflow/tfjs';
import { tfName, type BuiltNetwork } from './build';
import type { Checked } from './structure';

/** tf layer name → node id, for every node of the graph. */
export function layerOwners(checked: Checked): Map<string, string> {
  return new Map([...checked.nodes.keys()].map((id) => [tfName(id), id]));
}

/** The node a weight (by its original name, `layer/weight`) belongs to. */
export function nodeOfWeight(name: string, owners: Map<string, string>): string | undefined {
  const layer = name.split('/')[0];
  return owners.get(layer.split('__')[0]);
}

/** A network's trainable weights that no lock holds. */
export function unfrozenWeights(net: BuiltNetwork, checked: Checked, owners = layerOwners(checked)): tf.LayerVariable[] {
  return net.model.trainableWeights.filter((w) => {
    const node = nodeOfWeight(w.originalName, owners);
    return !(node && checked.frozen.has(node));
  });
}

export interface ParamSplit {
  /** Values the optimizers update. */
  trainableParams: number;
  /** Values that would be trained but are locked. */
  frozenParams: number;
}

export function paramSplit(networks: readonly BuiltNetwork[], checked: Checked): ParamSplit {
  const owners = layerOwners(checked);
  let trainableParams = 0;
  let frozenParams = 0;
  for (const net of networks) {
    for (const w of net.model.trainableWeights) {
      const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const node = nodeOfWeight(w.originalName, owners);
      if (node && checked.frozen.has(node)) frozenParams += size;
      else trainableParams += size;
    }
  }
  return { trainableParams, frozenParams };
}
