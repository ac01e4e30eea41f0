// `npm run export -- <graph.json> --to pytorch --out DIR [--weights F]`: writes the graph as a PyTorch
// project (runtime/export/pytorch). Exit codes as the train command's (exit-codes.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { EXPORT_USAGE, parseExportArgs } from './export-args';
import { EXIT } from './exit-codes';
import { prepareOutDir, writeAtomic } from './files';
import { bundleFromJSON } from './model-files';
import { parseGraph } from '../graph/load';
import { nodeAssets } from '../data/assets-node';
import { exportPytorch } from '../export/pytorch/project';
import { CHECKPOINT_FORMAT, parseCheckpoint } from '../train/checkpoint-file';
import { WEIGHTS_FORMAT } from '../train/weights';
import { diagnosticLine } from './run';

/** A weights.json as it is, or a checkpoint's networks as a weights file: the text init-weights.json holds. */
function weightsText(text: string, file: string): string {
  if (text.includes(`"${CHECKPOINT_FORMAT}"`)) {
    const c = parseCheckpoint(text);
    return JSON.stringify({ format: WEIGHTS_FORMAT, graphName: c.graphName, step: c.step, networks: c.networks, tokenizer: c.tokenizer });
  }
  bundleFromJSON(text, file);
  return text;
}

async function read(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseExportArgs(argv);
  if (parsed.help) {
    process.stdout.write(EXPORT_USAGE + '\n');
    return EXIT.ok;
  }
  if ('errors' in parsed) {
    process.stderr.write(parsed.errors.map((e) => `error: ${e}`).join('\n') + '\n\n' + EXPORT_USAGE + '\n');
    return EXIT.usage;
  }
  const { args } = parsed;
  const graph = parseGraph(await read(args.graph, 'graph file'));
  if (!graph.doc) {
    process.stderr.write([`${args.graph}: the graph cannot be loaded`, ...graph.diagnostics.map(diagnosticLine)].join('\n') + '\n');
    return EXIT.graph;
  }
  const initWeights = args.weights === undefined ? undefined : weightsText(await read(args.weights, 'weights file'), args.weights);
  const { files, diagnostics } = await exportPytorch(graph.doc, nodeAssets, { initWeights });
  if (!files) {
    process.stderr.write([`${args.graph}: the graph cannot be exported to PyTorch`, ...diagnostics.map(diagnosticLine)].join('\n') + '\n');
    return EXIT.graph;
  }
  const out = await prepareOutDir(args.out);
  if ('problem' in out) {
    process.stderr.write(`error: --out ${args.out}: ${out.problem}\n`);
    return EXIT.usage;
  }
  for (const [path, content] of files) {
    await mkdir(dirname(join(out.dir, path)), { recursive: true });
    await writeAtomic(join(out.dir, path), content);
  }
  process.stdout.write(`wrote ${files.size} files to ${out.dir}\n  cd ${args.out} && torchrun --standalone --nproc_per_node=2 train.py\n`);
  return EXIT.ok;
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (e) {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(EXIT.graph);
}
