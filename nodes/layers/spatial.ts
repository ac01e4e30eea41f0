// Shape checks shared by the image layers (NHWC, as tfjs lays images out).
import { NodeError, type Shape } from '../types';
import { convOut, formatShape, need } from '../shape';

export const IMAGE_LAYOUT = '[batch, height, width, channels]';

/** The `in` image shape as [h, w, c]; h and w may be unknown, channels must be known. */
export function imageInput(inputs: Record<string, Shape>): [number | null, number | null, number] {
  const x = need(inputs, 'in');
  if (x.length !== 4 || x[3] === null) throw new NodeError(`expects input ${IMAGE_LAYOUT}, got ${formatShape(x)}`);
  return [x[1], x[2], x[3]];
}

/**
 * Output height/width of a strided window; a window that does not fit a `valid` input is an error
 * naming the param, since tfjs would otherwise produce an empty (or negative) dimension.
 */
export function windowOut(
  size: number | null,
  window: number,
  stride: number,
  padding: 'same' | 'valid',
  field: string,
): number | null {
  if (size === null) return null;
  const out = convOut(size, window, stride, padding);
  if (out < 1)
    throw new NodeError(`${field} ${window} does not fit the input size ${size} with padding "valid" (use "same" or a smaller ${field})`, field);
  return out;
}
