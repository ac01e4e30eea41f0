// train.py's held-out evaluation: every `evalEvery` steps (the graph's setting) the base objectives
// are computed on the test split, networks in inference mode, and averaged over the processes; rank 0
// prints them and writes held-out.csv. They are read as Genloom's trainer reads them
// (runtime/train/whole-split.ts): where the losses draw on one dataset whose test split is a list of
// at most WHOLE_SPLIT_MAX examples (a corpus of lines, 2-D points), its first batches in stored order
// while training and all of it at the last step, each chunk weighted by its terms (a line's real
// targets, not its padding); else a few drawn batches. As Genloom's, objectives that declare
// `heldOut: false` (a fine-tune measured against its own samples) are left out.
import { datasetsUpstream } from '../../compiler/plan';
import { WHOLE_SPLIT_MAX } from '../../train/whole-split-max';
import type { GraphParts } from './parts';
import { phaseFunctionName } from './objectives';

/** Batches averaged per evaluation, as Genloom's trainer. */
const EVAL_BATCHES = 4;

export interface HeldOut {
  constants: string[];
  function: string;
  /** main()'s statements before the loop (indented for main). */
  setup: string[];
  /** The loop's statements after a step (indented for the loop body). */
  step: string[];
}

/** The one dataset node the held-out losses read, if its test split can be a list; else null. */
function listedSource(parts: GraphParts, lossNodes: string[]): string | null {
  const sources = datasetsUpstream(parts.checked, lossNodes);
  if (sources.length !== 1) return null;
  const node = parts.checked.nodes.get(sources[0])!;
  const need = node.def.data!(node.params);
  // A running text is windows at every position, not a list of examples.
  return need.kind === 'text' && !need.perLine ? null : sources[0];
}

export function heldOutPy(parts: GraphParts, dataNodes: string[]): HeldOut | null {
  const every = parts.doc.training.evalEvery;
  const base = parts.phases.filter((p) => p.stage === 'base');
  const objectives = base.flatMap((p) => p.objectives.filter((o) => o.def.heldOut !== false));
  const keys = objectives.map((o) => JSON.stringify(o.key));
  if (!(every > 0) || keys.length === 0) return null;
  const listed = listedSource(parts, objectives.map((o) => o.lossNode));
  const losses = base.length === 1 ? `${phaseFunctionName(base[0])}(run)` : `{${base.map((p) => `**${phaseFunctionName(p)}(run)`).join(', ')}}`;
  const fn = [
    'def held_out_losses(run, world, rank, final):',
    '    """The base objectives on the test split in inference mode (no dropout, batch norm\'s running averages).',
    '',
    '    A split listed whole (run.listed) is read in stored order: its first EVAL_BATCHES batches, the same',
    '    examples every time, or at the end (final) every example once; each chunk counts by the terms its',
    '    loss averaged over. Other data: EVAL_BATCHES drawn batches per process. Returns the losses and how',
    '    many held-out examples they cover (None for drawn batches).',
    '    """',
    '    for m in vars(run.nets).values():',
    '        m.eval()',
    '    size = run.batch',
    '    if run.listed is None:',
    '        chunks, count = [None] * EVAL_BATCHES, None',
    '    else:',
    '        count = len(run.listed) if final else min(len(run.listed), EVAL_BATCHES * size * world)',
    '        chunks = [(s, min(s + size, count)) for s in range(rank * size, count, size * world)]',
    '    total = torch.zeros(len(HELD_OUT_KEYS), dtype=torch.float64)',
    '    weight = torch.zeros(len(HELD_OUT_KEYS), dtype=torch.float64)',
    '    for chunk in chunks:',
    '        if chunk is not None:',
    // Every phase that reads the dataset gets the same chunk, as Genloom's evaluator does.
    '            run.batches[LISTED] = itertools.repeat(data.ordered(run.listed, *chunk))',
    '            run.batch = chunk[1] - chunk[0]',
    '        run.terms = {}',
    // A gradient penalty differentiates the critic, so gradients stay on; the values are detached.
    `        losses = ${losses}`,
    '        for i, k in enumerate(HELD_OUT_KEYS):',
    '            n = 1.0 if chunk is None else float(run.terms.get(k, run.batch))',
    '            total[i] += losses[k].detach().double().cpu() * n',
    '            weight[i] += n',
    '    run.batch = size',
    '    for m in vars(run.nets).values():',
    '        m.train()',
    '    if world > 1:',
    '        dist.all_reduce(total)',
    '        dist.all_reduce(weight)',
    '    return (total / weight).tolist(), count',
  ].join('\n');
  return {
    constants: [
      `EVAL_EVERY = ${every}  # steps between held-out losses`,
      `EVAL_BATCHES = ${EVAL_BATCHES}`,
      `HELD_OUT_KEYS = [${keys.join(', ')}]`,
      `LISTED = ${listed ? JSON.stringify(listed) : 'None'}  # the dataset node whose test split may be read whole`,
      `WHOLE_SPLIT_MAX = ${WHOLE_SPLIT_MAX}  # the longest split read whole, as Genloom's`,
    ],
    function: fn,
    setup: [
      '# The same objectives on the test split, through the plain modules (no DDP: nothing is trained there).',
      'held_out = Run(nets, nets, {',
      ...dataNodes.map((id) => `    ${JSON.stringify(id)}: data.endless(data.load(${JSON.stringify(id)}, "test"), per_process, rank, world, args.seed),`),
      '}, device, per_process)',
      'held_out.listed = data.load(LISTED, "test") if LISTED is not None else None',
      'if held_out.listed is not None and len(held_out.listed) > WHOLE_SPLIT_MAX:',
      '    held_out.listed = None',
      'held_out_log = open(os.path.join(args.out, "held-out.csv"), "a" if args.resume else "w", newline="") if rank == 0 else None',
      'if held_out_log and not args.resume:',
      '    csv.writer(held_out_log).writerow(["step", *HELD_OUT_KEYS])',
    ],
    step: [
      'if (step + 1) % EVAL_EVERY == 0 or step + 1 == args.steps:',
      '    held_out.step = step  # a warm-up (the KL weight\'s) reads the step',
      '    values, count = held_out_losses(held_out, world, rank, final=step + 1 == args.steps)',
      '    if held_out_log:',
      '        csv.writer(held_out_log).writerow([step + 1, *[f"{v:.6g}" for v in values]])',
      '        held_out_log.flush()',
      '        over = f" (all {count} held-out examples)" if count is not None and count == len(held_out.listed) else ""',
      '        print(f"step {step + 1}  held out{over}  " + "  ".join(f"{k} {v:.4f}" for k, v in zip(HELD_OUT_KEYS, values)), flush=True)',
    ],
  };
}
