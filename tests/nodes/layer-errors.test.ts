// Bad inputs and params fail with a NodeError that names what was expected and what arrived.
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../nodes/params';
import { getNodeDef } from '../../nodes/registry';
import { NodeError, type AnyNodeDefinition, type ShapeMap } from '../../nodes/types';

function def(type: string): AnyNodeDefinition {
  const d = getNodeDef(type);
  if (!d) throw new Error(`no node type ${type}`);
  return d;
}

/** Runs inferShapes with defaults filled and returns the NodeError it throws. */
function inferError(type: string, inputs: ShapeMap, raw: Record<string, unknown> = {}): NodeError {
  const d = def(type);
  const { params, problems } = resolveParams(d, raw);
  expect(problems).toEqual([]);
  try {
    d.inferShapes(inputs, params);
  } catch (e) {
    expect(e).toBeInstanceOf(NodeError);
    return e as NodeError;
  }
  throw new Error(`${type} accepted ${JSON.stringify(inputs)}`);
}

describe('image layers want [batch, height, width, channels]', () => {
  for (const type of ['conv2d', 'conv2dTranspose', 'upsample', 'pooling']) {
    it(`${type} rejects a flat input`, () => {
      expect(inferError(type, { in: [null, 784] }).message).toBe(
        'expects input [batch, height, width, channels], got [batch, 784]',
      );
    });
  }

  it('conv2d rejects a kernel that does not fit a valid input, naming the param', () => {
    const e = inferError('conv2d', { in: [null, 3, 3, 1] }, { kernelSize: 5, padding: 'valid' });
    expect(e.field).toBe('kernelSize');
    expect(e.message).toContain('5');
    expect(e.message).toContain('3');
  });

  it('pooling rejects a window larger than a valid input', () => {
    expect(inferError('pooling', { in: [null, 2, 2, 1] }, { poolSize: 3 }).field).toBe('poolSize');
  });

  it('an unconnected input says which port', () => {
    expect(inferError('conv2d', {}).message).toBe('needs its "in" input connected');
  });
});

describe('reshape and flatten', () => {
  it('reshape says both element counts when they differ', () => {
    const e = inferError('reshape', { in: [null, 784] }, { targetShape: [7, 7, 8] });
    expect(e.field).toBe('targetShape');
    expect(e.message).toContain('[batch, 784] (784 values)');
    expect(e.message).toContain('[batch, 7, 7, 8] (392 values)');
  });

  it('flatten needs every size known', () => {
    expect(inferError('flatten', { in: [null, null, 4] }).message).toBe(
      'expects input [batch, …] with every size after batch known, got [batch, ?, 4]',
    );
  });
});

describe('merges', () => {
  it('add names both shapes when they differ', () => {
    expect(inferError('add', { a: [null, 4], b: [null, 5] }).message).toBe(
      'expects inputs of the same shape, got a [batch, 4], b [batch, 5]',
    );
  });

  it('add checks the optional third input too', () => {
    expect(inferError('add', { a: [null, 4], b: [null, 4], c: [null, 2, 2] }).message).toContain('c [batch, 2, 2]');
  });

  it('concat names the shapes that disagree off the axis', () => {
    expect(inferError('concat', { a: [null, 2, 2, 1], b: [null, 3, 2, 1] }).message).toBe(
      'expects inputs that match on every axis but -1, got a [batch, 2, 2, 1], b [batch, 3, 2, 1]',
    );
  });

  it('concat refuses the batch axis and axes beyond the rank', () => {
    expect(inferError('concat', { a: [null, 2], b: [null, 2] }, { axis: 0 }).field).toBe('axis');
    expect(inferError('concat', { a: [null, 2], b: [null, 2] }, { axis: -3 }).field).toBe('axis');
  });

  it('concat needs both required inputs', () => {
    expect(inferError('concat', { a: [null, 2] }).message).toBe('needs its "b" input connected');
  });
});

describe('param bounds come from the schema', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['conv2d', { kernelSize: 16 }, 'kernelSize'],
    ['conv2d', { kernelSize: 0 }, 'kernelSize'],
    ['conv2dTranspose', { padding: 'full' }, 'padding'],
    ['dropout', { rate: 0.96 }, 'rate'],
    ['pooling', { mode: 'min' }, 'mode'],
    ['upsample', { interpolation: 'bicubic' }, 'interpolation'],
    ['activation', { activation: 'softmax' }, 'activation'],
    ['reshape', { targetShape: [] }, 'targetShape'],
    ['batchNorm', { momentum: 1.5 }, 'momentum'],
    ['layerNorm', { epsilon: 0 }, 'epsilon'],
  ];
  for (const [type, raw, field] of cases) {
    it(`${type} rejects ${JSON.stringify(raw)}`, () => {
      const { problems } = resolveParams(def(type), raw);
      expect(problems.map((p) => p.field)).toEqual([field]);
    });
  }
});
