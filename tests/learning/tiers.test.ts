// `npm test` skips tests tagged 'learning'; `npm run test:learning` runs them, but only from
// tests/learning/ (vitest.learning.config.ts). A tagged test anywhere else would run in neither.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TESTS = join(import.meta.dirname, '..');
const LEARNING_TAG = /tags:\s*\[[^\]]*['"]learning['"]/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(d.name) ? [relative(TESTS, path)] : [];
  });
}

describe('test tiers', () => {
  it('every test tagged learning lives in tests/learning/, and the tier is not empty', () => {
    const tagged = testFiles(TESTS).filter((f) => LEARNING_TAG.test(readFileSync(join(TESTS, f), 'utf8')));
    expect(tagged.filter((f) => !f.startsWith(`learning/`))).toEqual([]);
    expect(tagged.length).toBeGreaterThan(0);
  });
});
