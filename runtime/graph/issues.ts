// Turns zod issues into diagnostics that say, in plain words, which field is wrong and what was expected.
import type { z } from 'zod';
import { error, type Diagnostic } from './diagnostics';
import { closeMatches } from './names';

export interface Subject {
  /** Message prefix, e.g. `node "g1": ` or an empty string for the document itself. */
  prefix: string;
  nodeId?: string;
  edgeId?: string;
  /** Prepended to each issue's path in `field`, e.g. `nodes[3]` for a node without a usable id. */
  fieldBase?: string;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  float: 'a number with a fraction',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  undefined: 'nothing',
  nan: 'NaN',
};

const typeName = (t: string) => TYPE_NAMES[t] ?? t;

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function bound(issue: z.ZodIssue & { code: 'too_small' | 'too_big' }, got: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as z.ZodTooSmallIssue).minimum : (issue as z.ZodTooBigIssue).maximum;
  if (issue.type === 'string' && small && Number(limit) === 1) return 'must not be empty';
  const words = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  const what = issue.type === 'array' ? ' entries' : issue.type === 'string' ? ' characters' : '';
  return `must be ${words} ${String(limit)}${what}, got ${describeValue(got)}`;
}

function issueText(issue: z.ZodIssue, got: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `missing (expected ${typeName(issue.expected)})`
        : `expected ${typeName(issue.expected)}, got ${issue.received === 'integer' || issue.received === 'float' ? describeValue(got) : typeName(issue.received)}`;
    case 'too_small':
    case 'too_big':
      return bound(issue, got);
    case 'not_finite':
      return `must be a finite number, got ${describeValue(got)}`;
    case 'invalid_literal':
      return `expected ${JSON.stringify(issue.expected)}, got ${describeValue(got)}`;
    default:
      return issue.message;
  }
}

/**
 * One diagnostic per problem. `allowed` lists the fields of each object by its path (joined with '.'),
 * so an unknown field can be answered with the fields that exist.
 */
export function issuesToDiagnostics(
  issues: readonly z.ZodIssue[],
  input: unknown,
  subject: Subject,
  allowed: (path: string) => readonly string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (field: string) => ({
    ...(subject.nodeId !== undefined ? { nodeId: subject.nodeId } : {}),
    ...(subject.edgeId !== undefined ? { edgeId: subject.edgeId } : {}),
    field: [subject.fieldBase, field].filter(Boolean).join('.'),
  });
  for (const issue of issues) {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const fields = allowed(path);
      for (const key of issue.keys) {
        const near = closeMatches(key, fields, 1);
        const hint = near.length ? `; did you mean "${near[0]}"?` : ` (fields: ${fields.join(', ')})`;
        const full = path ? `${path}.${key}` : key;
        const scope = path ? `field "${full}"` : subject.prefix ? `field "${key}"` : `top-level field "${key}"`;
        out.push(error('schema', `${subject.prefix}unknown ${scope}${hint}`, where(full)));
      }
      continue;
    }
    const label = path ? `field "${path}"` : 'value';
    out.push(error('schema', `${subject.prefix}${label}: ${issueText(issue, valueAt(input, issue.path))}`, where(path)));
  }
  return out;
}
