// The readers behind scripts/build-names-us.ts: one entry out of a zip (deflated or stored) and every row
// of an SQLite table, checked against a fixture whose rows follow a formula (tests/fixtures/data/
// make-us-names-mini.py writes it): 600 rows on 512-byte pages, so the walk crosses interior pages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forEachSqliteRow, type SqlValue } from '../../scripts/data/sqlite-table';
import { readZipEntry } from '../../scripts/data/zip-entry';

const zip = new Uint8Array(readFileSync(new URL('../fixtures/data/us-names-mini.sqlite.zip', import.meta.url)));
const ROWS = 600;

/** Bijective base 26 of i + 1, as the fixture's script names its rows. */
function nameOf(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor(n / 26)) {
    n -= 1;
    s = String.fromCharCode(97 + (n % 26)) + s;
  }
  return s;
}

describe('readZipEntry', () => {
  it('reads a stored entry and a deflated one', () => {
    expect(new TextDecoder().decode(readZipEntry(zip, 'readme.txt'))).toBe('stored alongside\n');
    const db = readZipEntry(zip, 'us-name-data.sqlite');
    expect(new TextDecoder().decode(db.subarray(0, 15))).toBe('SQLite format 3');
    expect(db.length % 512).toBe(0);
  });

  it('names the entries it holds when asked for another', () => {
    expect(() => readZipEntry(zip, 'names.txt')).toThrow(/no "names.txt"; it holds us-name-data.sqlite, readme.txt/);
    expect(() => readZipEntry(new Uint8Array(100), 'x')).toThrow(/not a zip archive/);
  });
});

describe('forEachSqliteRow', () => {
  const db = readZipEntry(zip, 'us-name-data.sqlite');

  it('gives every row in rowid order, the INTEGER PRIMARY KEY as the rowid', () => {
    const rows: Record<string, SqlValue>[] = [];
    forEachSqliteRow(db, 'usNameData', (r) => rows.push(r));
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, k) => {
      const i = k + 1;
      expect(row).toEqual({ id: i, name: nameOf(i), sex: i % 2 ? 'F' : 'M', births: ((i * 7919) % 100000) + 5, rank: i, year: 2016 + (i % 4) });
    });
  });

  it('refuses what it cannot read, by name', () => {
    expect(() => forEachSqliteRow(db, 'nameMeanings', () => {})).toThrow(/no table "nameMeanings"/);
    expect(() => forEachSqliteRow(new Uint8Array(1024), 'usNameData', () => {})).toThrow(/not an SQLite 3 database/);
  });
});
