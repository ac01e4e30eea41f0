// Shape checks shared by the sequence layers.
import { formatShape, need } from '../shape';
import { NodeError, type ShapeMap } from '../types';

/** The [batch, T, dim] input on `port`, with T and dim known. */
export function sequence(inputs: ShapeMap, port = 'in'): { T: number; dim: number } {
  const x = need(inputs, port);
  const [, T, dim] = x;
  if (x.length !== 3 || T === null || dim === null || T === undefined || dim === undefined)
    throw new NodeError(`expects input [batch, T, dim], got ${formatShape(x)}`);
  return { T, dim };
}

/** The [batch, T] token-id input on `port`. */
export function tokenIds(inputs: ShapeMap, port = 'tokens'): { T: number } {
  const x = need(inputs, port);
  const T = x[1];
  if (x.length !== 2 || T === null || T === undefined)
    throw new NodeError(`expects token ids [batch, T], got ${formatShape(x)}`);
  return { T };
}
