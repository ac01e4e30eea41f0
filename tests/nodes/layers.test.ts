import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../nodes/registry';
import { checkLayerNode } from './harness';
import { LAYER_CASES } from './layer-cases';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layerNodes = NODE_TYPES.filter((d) => d.role === 'layer');

describe('every layer node passes the layer harness', () => {
  it('has harness cases for every layer node in the registry', () => {
    const missing = layerNodes.map((d) => d.type).filter((t) => !LAYER_CASES[t]?.length);
    expect(missing, 'add cases to tests/nodes/layer-cases.ts').toEqual([]);
  });

  for (const def of layerNodes) {
    for (const c of LAYER_CASES[def.type] ?? []) {
      it(`${def.type} ${JSON.stringify(c.params)} on ${JSON.stringify(c.inputs)}`, async () => {
        await checkLayerNode(def, c.params, c.inputs, { intInputs: c.intInputs });
      });
    }
  }
});
