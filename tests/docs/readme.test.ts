// The README is a newcomer's first page: it must list every node type and name the commands that exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../nodes/registry';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('lists every node type in the catalogue', () => {
    const missing = NODE_TYPES.map((d) => d.type).filter((t) => !readme.includes(`| \`${t}\` |`));
    expect(missing).toEqual([]);
  });

  it('only names npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((s) => !(s in pkg.scripts))).toEqual([]);
  });

  it('names every example file that exists', () => {
    const examples = Object.keys(import.meta.glob('../../examples/*.json')).map((p) => p.split('/').pop()!);
    expect(examples.filter((e) => !readme.includes(e))).toEqual([]);
  });
});
