// npm run bench [-- --quick] [-- --only NAME[,NAME…]] [-- --no-torch] [-- --threads N]
// Prints the table and writes bench/results/latest.json and latest.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, runBench } from './bench';
import { markdownTable, textTable } from './table';

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
if (onlyAt >= 0 && !only?.length) {
  console.error('--only needs an example name, e.g. --only gan-ring');
  process.exit(2);
}
const threadsAt = args.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : 1;
if (!Number.isInteger(threads) || threads < 1) {
  console.error('--threads needs a whole number ≥ 1, e.g. --threads 2');
  process.exit(2);
}
const outAt = args.indexOf('--out');
const outDir = outAt >= 0 ? args[outAt + 1] : join(BENCH_DIR, 'results');

const result = await runBench({
  quick: args.includes('--quick'),
  only,
  torch: !args.includes('--no-torch'),
  threads,
  log: (l) => console.error(l),
});
console.log(textTable(result));
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(outDir, 'latest.md'), markdownTable(result));
console.error(`wrote ${join(outDir, 'latest.json')} and latest.md`);
// Threaded wasm's worker pool would keep the process alive.
process.exit(0);
