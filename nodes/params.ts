// Turning a node's raw params (from JSON or the inspector) into checked values with defaults filled.
import type { AnyNodeDefinition, ParamSchema, ParamSpec } from './types';

export interface ParamProblem {
  field: string;
  message: string;
}

/** Checks one value against its spec; returns a message saying what was expected, or null. */
export function checkParam(spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${describe(value)}`;
      if (spec.kind === 'int' && !Number.isInteger(value)) return `expected a whole number, got ${value}`;
      if (spec.min !== undefined && value < spec.min) return `must be at least ${spec.min}, got ${value}`;
      if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}, got ${value}`;
      if (spec.kind === 'float' && spec.exclusiveMin !== undefined && value <= spec.exclusiveMin)
        return `must be more than ${spec.exclusiveMin}, got ${value}`;
      if (spec.kind === 'float' && spec.exclusiveMax !== undefined && value >= spec.exclusiveMax)
        return `must be less than ${spec.exclusiveMax}, got ${value}`;
      return null;
    }
    case 'bool':
      return typeof value === 'boolean' ? null : `expected true or false, got ${describe(value)}`;
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value)
        ? null
        : `expected one of ${spec.options.join(', ')}, got ${describe(value)}`;
    case 'shape': {
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v > 0))
        return `expected a list of positive whole numbers, got ${describe(value)}`;
      if (spec.minLength !== undefined && value.length < spec.minLength)
        return `expected at least ${spec.minLength} entries, got ${value.length}`;
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        return `expected at most ${spec.maxLength} entries, got ${value.length}`;
      return null;
    }
    case 'string':
      if (typeof value !== 'string') return `expected text, got ${describe(value)}`;
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        return `expected at most ${spec.maxLength} characters`;
      return null;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

export function defaultParams(def: AnyNodeDefinition): Record<string, unknown> {
  return defaultValues(def.params as ParamSchema);
}

/** Every entry of a schema at its default (lists copied, so callers may change them). */
export function defaultValues(schema: ParamSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(schema)) {
    out[k] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  }
  return out;
}

/** The spec a schema declares for `key`; inherited members such as "constructor" or "__proto__" are not specs. */
export function specOf(schema: ParamSchema, key: string): ParamSpec | undefined {
  return Object.hasOwn(schema, key) ? schema[key] : undefined;
}

export interface CheckedValues {
  /** The schema's defaults overwritten by every raw value that fits its spec. */
  values: Record<string, unknown>;
  /** Values that do not fit their spec, with what was expected. */
  invalid: ParamProblem[];
  /** Keys the schema does not declare: reported, never dropped silently. */
  unknown: string[];
}

/** Checks raw values (from JSON or an inspector) against a schema; the callers word the problems. */
export function checkValues(schema: ParamSchema, raw: Record<string, unknown> | undefined): CheckedValues {
  const values = defaultValues(schema);
  const invalid: ParamProblem[] = [];
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(raw ?? {})) {
    const spec = specOf(schema, k);
    if (!spec) {
      unknown.push(k);
      continue;
    }
    const msg = checkParam(spec, v);
    if (msg) invalid.push({ field: k, message: msg });
    else values[k] = v;
  }
  return { values, invalid, unknown };
}

/**
 * Fills defaults and checks every param. Unknown keys are problems, not silently dropped, so a
 * typo in an exported file is reported rather than ignored.
 */
export function resolveParams(
  def: AnyNodeDefinition,
  raw: Record<string, unknown> | undefined,
): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const { values: params, invalid, unknown } = checkValues(def.params as ParamSchema, raw);
  const known = Object.keys(def.params);
  const problems: ParamProblem[] = unknown.map((k) => ({
    field: k,
    message: `has no param "${k}"${known.length ? ` (params: ${known.join(', ')})` : ''}`,
  }));
  for (const p of invalid) problems.push({ field: p.field, message: `param "${p.field}": ${p.message}` });
  if (problems.length === 0 && def.validateParams) {
    for (const p of def.validateParams(params)) problems.push({ field: p.field, message: `param "${p.field}": ${p.message}` });
  }
  return { params, problems };
}
