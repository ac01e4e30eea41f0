import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../runtime/graph/json-position';

describe('findJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON, whatever JSON.parse accepts', () => {
    for (const t of ['{"a":[true,null,{"b":-1.5e+3}]}', '"\\u00e9"', ' [] ']) {
      expect(() => JSON.parse(t)).not.toThrow();
      expect(findJsonSyntaxError(t)).toBeNull();
    }
  });

  it('points at the offending character: trailing comma, truncation, junk after the value', () => {
    const cases: [string, string][] = [
      ['{"a":1,\n "b":2,\n}', '}'],
      ['{"nodes": [1, 2', ''],
      ['[1] 2', '2'],
    ];
    for (const [text, at] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      const p = findJsonSyntaxError(text)!;
      expect(p.position).toBe(at ? text.lastIndexOf(at) : text.length);
    }
    expect(findJsonSyntaxError('{"a":1,\n "b":2,\n}')).toMatchObject({ line: 3, column: 1 });
  });
});
