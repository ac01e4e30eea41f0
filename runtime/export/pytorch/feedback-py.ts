// preferences.py and train.py's feedback rounds, for a graph that learns from preference pairs. The
// pairs a person rated travel as data/<node>-pairs.json (Genloom's preference format); a scripted
// rater is written as its rule in python, and each round samples the model, rates pairs of samples,
// fits the reward model and fine-tunes, as `npm run train -- --rounds N` does.
import type { PreferenceSet } from '../../../nodes/feedback/preferences';
import type { ScriptedFeedback } from '../../../nodes/data-needs';
import { NodeError } from '../../../nodes/types';
import { pyFloat, py } from '../../../nodes/torch-exporter';
import { forNode } from './model-py';
import type { GraphParts } from './parts';
import type { ProjectFiles } from './data-py';
import { phaseFunctionName, phaseName } from './objectives';
import { pyIdent } from './names';

export interface PreferenceNode {
  id: string;
  kind: 'text' | 'image' | 'points';
  scripted?: ScriptedFeedback;
}

/** The preferences nodes of a graph, each checked for what the export can write. */
export function preferenceNodes(parts: GraphParts, pairs: ReadonlyMap<string, PreferenceSet>): PreferenceNode[] {
  const out: PreferenceNode[] = [];
  for (const [id, { def, params }] of parts.checked.nodes) {
    const need = def.data?.(params);
    if (need?.kind !== 'preferences') continue;
    forNode(parts, id, () => {
      if (need.uploaded && !pairs.has(need.name))
        throw new NodeError(`reads the pairs "${need.name}", which were not handed to the export: export from the app, where they are kept`, 'pairsName');
    });
    out.push({ id, kind: need.preferenceKind ?? 'points', scripted: need.scripted });
  }
  return out;
}

/** Each scripted rule as python: r*(samples), a float per sample, as nodes/feedback/raters.ts. */
function rulePy(s: ScriptedFeedback): string {
  const doc = (d: string, body: string) => `    """${d}"""\n    ${body}`;
  switch (s.rule) {
    case 'starts-with-vowel':
      return doc('Names that start with a vowel (a, e, i, o, u, y) score 1, others 0.', 'return [float(t[:1].lower() in list("aeiouy")) for t in samples]');
    case 'ends-in-a':
      return doc('Names that end in "a" score 1, others 0.', 'return [float(t.lower().endswith("a")) for t in samples]');
    case 'length':
      return doc('Longer names score higher: the reward is the number of characters.', 'return [float(len(t)) for t in samples]');
    case 'contains-letter':
      return doc(`Names that contain "${s.settings.letter}" score 1, others 0.`, `return [float(${py(s.settings.letter.toLowerCase())} in t.lower()) for t in samples]`);
    case 'digit-probability':
      return doc(`The fixed MNIST classifier's probability that the image shows a ${s.settings.digit}.`, `return classifier.digit_probability(samples, ${s.settings.digit}).tolist()`);
    case 'stroke-thickness':
      return doc('Thicker strokes score higher: the share of pixels brighter than mid-grey.', 'return (samples > 0).flatten(1).float().mean(1).tolist()');
    case 'x-coordinate':
      return doc('Points further right score higher: the reward is x.', 'return samples[:, 0].tolist()');
    case 'distance-to-point':
      return doc(
        `Points closer to (${s.settings.point.join(', ')}) score higher: the reward is minus the distance.`,
        `return (-(samples - torch.tensor([${s.settings.point.map(pyFloat).join(', ')}])).norm(dim=1)).tolist()`,
      );
    default:
      throw new NodeError(`has the rater "${s.rule}", which the PyTorch export does not write`, 'rater');
  }
}

const POOL = `class Pairs:
    """A growing set of preference pairs, batched as chosen, rejected and tie.

    Whether pair i is held out depends on i alone, so pairs added later never move earlier ones.
    """

    def __init__(self, node, held_out):
        self.node = node
        self.held_out = held_out
        self.chosen, self.rejected, self.tie = [], [], []

    def add(self, chosen, rejected, tie):
        self.chosen += list(chosen)
        self.rejected += list(rejected)
        self.tie += [float(t) for t in tie]

    def split(self, split):
        return [i for i in range(len(self.tie)) if (random.Random(i).random() < self.held_out) == (split == "test")]

    def batch(self, n, device, split="train"):
        """n pairs drawn at random from one split."""
        pool = self.split(split)
        if not pool:
            raise RuntimeError(f'preferences "{self.node}" has no {split} pairs among its {len(self.tie)}: rate some first')
        picked = [pool[i] for i in torch.randint(len(pool), (n,)).tolist()]
        stack = lambda xs: torch.stack([xs[i] for i in picked]).to(device)
        return stack(self.chosen), stack(self.rejected), torch.tensor([self.tie[i] for i in picked], device=device)`;

const RATE = `def rate(rewards, tau):
    """Samples 0 and 1, 2 and 3, ... as pairs: P(A ≻ B) = σ((r(A) − r(B)) / τ); at τ = 0 the better one, equal rewards a tie.

    Returns, per pair, whether A was chosen and whether it is a tie.
    """
    r = torch.tensor(rewards, dtype=torch.float64)
    a, b = r[0::2], r[1::2]
    if tau < 1e-6:
        return a > b, a == b
    return torch.rand(len(a), dtype=torch.float64) < torch.sigmoid((a - b) / tau), torch.zeros(len(a), dtype=torch.bool)`;

const TEXT = `def encode(text, node, length):
    """A name as the language model reads it: [end] c1 ... cn [end], padded with -1 to the context plus one."""
    ids = [0] + [data.VOCABULARIES[node].index(c) + 1 for c in text][: length - 1]
    if len(ids) < length:
        ids.append(0)
    return torch.tensor(ids + [-1] * (length - len(ids)))`;

/** preferences.py: the pair pools, the scripted rules, and the pairs a person rated as files. */
export function preferencesPy(parts: GraphParts, nodes: PreferenceNode[], pairs: ReadonlyMap<string, PreferenceSet>, files: ProjectFiles): string {
  const textNode = [...parts.checked.nodes.entries()].find(([, n]) => n.def.data?.(n.params)?.kind === 'text')?.[0];
  const defs: string[] = [POOL];
  if (nodes.some((n) => n.scripted)) defs.push(RATE);
  if (nodes.some((n) => n.kind === 'text')) {
    if (!textNode) throw new NodeError('compares texts, which need a text dataset in the graph for the vocabulary');
    defs.push(TEXT);
  }
  const pools: string[] = [];
  for (const n of nodes) {
    const { params } = parts.checked.nodes.get(n.id)!;
    const need = parts.checked.nodes.get(n.id)!.def.data!(params)!;
    const fn = n.id.replace(/[^A-Za-z0-9_]/g, '_');
    const length = need.exampleShape![0];
    // How a sample of this kind becomes the tensor the model reads.
    const sample = n.kind === 'text' ? `encode(s, ${JSON.stringify(textNode)}, ${length})` : n.kind === 'image' ? `torch.tensor(s).reshape(${need.exampleShape!.join(', ')}).permute(2, 0, 1)` : 'torch.tensor(s)';
    const held = pyFloat(need.testFraction ?? 0.2);
    if (n.scripted) {
      const s = n.scripted;
      defs.push(`def ${fn}_reward(samples):\n${forNode(parts, n.id, () => rulePy(s))}`);
      const toTensors = n.kind === 'text' ? `[encode(s, ${JSON.stringify(textNode)}, ${length}) for s in samples]` : 'samples.cpu()';
      defs.push(
        [
          `def ${fn}_rate(samples):`,
          `    """Pairs of the model's samples as the "${s.rule}" rule (τ = ${s.tau}) judges them: chosen, rejected, tie, and the mean true reward."""`,
          `    rewards = ${fn}_reward(samples)`,
          `    a_wins, tie = rate(rewards, ${pyFloat(s.tau)})`,
          `    x = ${toTensors}`,
          '    chosen = [x[2 * i] if win else x[2 * i + 1] for i, win in enumerate(a_wins.tolist())]',
          '    rejected = [x[2 * i + 1] if win else x[2 * i] for i, win in enumerate(a_wins.tolist())]',
          '    return chosen, rejected, tie.tolist(), sum(rewards) / len(rewards)',
        ].join('\n'),
      );
      pools.push(`        ${JSON.stringify(n.id)}: Pairs(${JSON.stringify(n.id)}, ${held}),  # filled round by round`);
      continue;
    }
    const set = pairs.get(need.name)!;
    files.set(`data/${fn}-pairs.json`, JSON.stringify(set));
    defs.push(
      [
        `def ${fn}_pairs():`,
        `    """The pairs rated in Genloom ("${need.name.replace(/"/g, "'")}"), from data/${fn}-pairs.json."""`,
        `    with open(os.path.join(HERE, "${fn}-pairs.json")) as f:`,
        '        rated = json.load(f)["pairs"]',
        `    pairs = Pairs(${JSON.stringify(n.id)}, ${held})`,
        `    pairs.add([${sample.replace(/\bs\b/g, 'p["chosen"]')} for p in rated], [${sample.replace(/\bs\b/g, 'p["rejected"]')} for p in rated], [p.get("tie", False) for p in rated])`,
        '    return pairs',
      ].join('\n'),
    );
    pools.push(`        ${JSON.stringify(n.id)}: ${fn}_pairs(),`);
  }
  const body = defs.join('\n\n\n');
  const uses = (m: string) => new RegExp(`\\b${m}\\.`).test(body);
  // The project's own modules, in a block after the third-party imports.
  const local = ['classifier', 'data'].filter(uses).map((m) => `import ${m}`);
  return [
    `"""The preference pairs of "${parts.doc.name.replace(/"/g, "'")}": ${nodes.some((n) => n.scripted) ? 'rated by a scripted rule round by round' : 'rated in Genloom'}."""`,
    ...(uses('json') ? ['import json'] : []),
    ...(uses('os') ? ['import os'] : []),
    'import random',
    '',
    'import torch',
    ...(local.length ? ['', ...local] : []),
    '',
    ...(uses('os') ? ['HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")', ''] : []),
    '',
    body,
    '',
    '',
    'def pools():',
    '    """A pool of pairs per preferences node of the graph."""',
    '    return {',
    ...pools,
    '    }',
    '',
  ].join('\n');
}

/** What train.py adds for the stages after the base: settings, functions, and the rounds in main(). */
export interface FeedbackTrain {
  constants: string[];
  /** parse_args()'s statements for the rounds' settings. */
  args: string[];
  functions: string;
  /** main()'s statements after the base training (indented for main). */
  rounds: string[];
}

function stageStep(parts: GraphParts, stage: 'reward' | 'policy'): string | null {
  const phases = parts.phases.map((p, i) => ({ p, i })).filter(({ p }) => p.stage === stage);
  if (phases.length === 0) return null;
  const what = stage === 'reward' ? 'fits the reward model to the pairs so far' : 'fine-tunes the model toward what the pairs prefer';
  const lines = [`def ${stage}_step(run, optimizers):`, `    """One step of the ${stage} stage: ${what}."""`];
  for (const { p, i } of phases) {
    const v = `${phaseName(p)}_values`;
    const call = [`${v} = ${phaseFunctionName(p)}(run)`, `update(optimizers[${i}], ${v})`];
    if (p.repeat > 1) lines.push(`    for _ in range(${p.repeat}):`, ...call.map((l) => `        ${l}`));
    else lines.push(...call.map((l) => `    ${l}`));
  }
  lines.push(phases.length === 1 ? `    return ${phaseName(phases[0].p)}_values` : `    return {${phases.map(({ p }) => `**${phaseName(p)}_values`).join(', ')}}`);
  return lines.join('\n');
}

export function feedbackTrain(parts: GraphParts, nodes: PreferenceNode[]): FeedbackTrain | null {
  if (!parts.phases.some((p) => p.stage !== 'base')) return null;
  const scripted = nodes.filter((n) => n.scripted);
  if (scripted.length > 1) throw new NodeError(`is one of ${scripted.length} preferences nodes with a scripted rater: the rounds drive one, as Genloom's feedback loop does`);
  const rater = scripted[0]?.scripted;
  // The stage settings: a scripted rater's node holds them; pairs rated by a person use their node's.
  const settingsNode = scripted[0] ?? nodes[0];
  const settings = settingsNode ? parts.checked.nodes.get(settingsNode.id)!.params : {};
  const rewardSteps = Number(settings.rewardSteps ?? 200);
  const tuneSteps = Number(settings.tuneSteps ?? 100);
  const steps = (['reward', 'policy'] as const).map((s) => stageStep(parts, s));
  const keys = parts.phases.filter((p) => p.stage !== 'base').flatMap((p) => p.objectives.map((o) => JSON.stringify(o.key)));
  const fn = scripted[0]?.id.replace(/[^A-Za-z0-9_]/g, '_');

  const what = steps[0] ? 'fits the reward model on every pair so far and fine-tunes against it' : 'fine-tunes on every pair so far';
  const round = [
    'def feedback_round(run, nets, optimizers, args, rank, world):',
    `    """${rater ? `Rates pairs of fresh samples, then ${what}` : what.charAt(0).toUpperCase() + what.slice(1)}."""`,
    ...(rater
      ? [
          '    fresh = [None]',
          '    if rank == 0:',
          '        for m in vars(nets).values():',
          '            m.eval()',
          `        fresh = [preferences.${fn}_rate(sample(run, nets, 2 * ROUND_PAIRS))]`,
          '        for m in vars(nets).values():',
          '            m.train()',
          '    if world > 1:',
          '        dist.broadcast_object_list(fresh, src=0)  # every process adds the same pairs',
          '    *pairs, true_reward = fresh[0]',
          `    run.pairs[${JSON.stringify(scripted[0].id)}].add(*pairs)`,
        ]
      : []),
    '    losses = {}',
    ...(steps[0] ? ['    for _ in range(args.reward_steps):', '        losses.update(reward_step(run, optimizers))'] : []),
    ...(steps[1] ? ['    for _ in range(args.tune_steps):', '        losses.update(policy_step(run, optimizers))'] : []),
    `    return ${rater ? 'true_reward, ' : ''}losses`,
  ].join('\n');

  const copies = [...parts.references].map((n) => `${pyIdent(n)}=copy.deepcopy(nets.${pyIdent(n)}).requires_grad_(False)`).join(', ');
  const first = nodes[0] ? JSON.stringify(nodes[0].id) : null;
  const rounds = [
    'if args.rounds:',
    ...(copies ? ['    # The networks being fine-tuned as they are now, frozen: what the fine-tune is anchored to.', `    run.reference = types.SimpleNamespace(${copies})`] : []),
    '    rounds_log = open(os.path.join(args.out, "feedback.csv"), "w", newline="") if rank == 0 else None',
    `    round_keys = [${keys.join(', ')}]`,
    '    if rounds_log:',
    `        csv.writer(rounds_log).writerow(["round", "pairs", ${rater ? '"true_reward", ' : ''}*round_keys])`,
    '    for r in range(1, args.rounds + 1):',
    `        ${rater ? 'true_reward, ' : ''}losses = feedback_round(run, nets, optimizers, args, rank, world)`,
    '        if rounds_log:',
    '            values = [f"{losses[k].item():.6g}" if k in losses else "" for k in round_keys]',
    `            pairs = len(run.pairs[${first}].tie)`,
    `            csv.writer(rounds_log).writerow([r, pairs, ${rater ? 'f"{true_reward:.6g}", ' : ''}*values])`,
    '            rounds_log.flush()',
    `            print(f"round {r}  pairs {pairs}  ${rater ? 'true reward {true_reward:.4f}  ' : ''}" + "  ".join(f"{k} {v}" for k, v in zip(round_keys, values)), flush=True)`,
  ];
  const args = [
    '    parser.add_argument("--rounds", type=int, default=ROUNDS, help="feedback rounds after the base training")',
    ...(steps[0] ? ['    parser.add_argument("--reward-steps", type=int, default=REWARD_STEPS, help="reward-model steps a round")'] : []),
    ...(steps[1] ? ['    parser.add_argument("--tune-steps", type=int, default=TUNE_STEPS, help="fine-tuning steps a round")'] : []),
  ];
  return {
    args,
    constants: [
      `ROUNDS = ${rater ? 0 : 1}  # ${rater ? 'rounds of sample, rate, fit, fine-tune after the base training (--rounds)' : 'fits and fine-tunes on the rated pairs after the base training'}`,
      ...(rater ? [`ROUND_PAIRS = ${rater.roundPairs}  # pairs rated each round`] : []),
      ...(steps[0] ? [`REWARD_STEPS = ${rewardSteps}  # reward-model steps a round`] : []),
      ...(steps[1] ? [`TUNE_STEPS = ${tuneSteps}  # fine-tuning steps a round`] : []),
    ],
    functions: [...steps.filter((s): s is string => s !== null), round].join('\n\n\n'),
    rounds,
  };
}
