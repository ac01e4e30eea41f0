// The exported project's README.md and requirements.txt.
import type { GraphParts } from './parts';

export const REQUIREMENTS = 'torch>=1.13\nnumpy\n';

/** How the pairs of a graph that learns from feedback are rated: a scripted rule's name, or by a person. */
export type FeedbackRating = { rule: string } | { rule: null } | null;

function feedbackSection(rating: FeedbackRating): string {
  if (!rating) return '';
  const rounds = rating.rule
    ? `\`--rounds N\` then runs N rounds after the base training: rank 0 samples the model, the "${rating.rule}" rule (in
\`preferences.py\`) rates pairs of samples, every process adds the same pairs, the reward model is fitted on every pair so
far and the model is fine-tuned against it (DPO and Diffusion-DPO fit no reward model: they fine-tune on the pairs directly).`
    : `After the base training the reward model is fitted on the pairs rated in Genloom (\`data/*-pairs.json\`) and the
model fine-tuned against it (\`--rounds\` repeats that).`;
  return `
## Learning from feedback

${rounds} Before the first round the networks being fine-tuned are copied and frozen: the fine-tune is anchored to
that copy. \`--reward-steps\` and \`--tune-steps\` set the steps of each round; \`out/feedback.csv\` has a row a round.
A pair is held out by its index alone, as in Genloom, though not the same pairs as Genloom would pick.
`;
}

export function readme(parts: GraphParts, withWeights: boolean, rating: FeedbackRating = null): string {
  const { doc } = parts;
  const t = doc.training;
  const sampled = parts.sampling ? `, samples in \`out/samples/\` every ${t.sampleEvery} steps` : '';
  const s = parts.sampling?.settings;
  const refinement = s?.langevinSteps ? `${s.langevinSteps} latent Langevin steps` : s?.rejectPercentile !== undefined ? 'rejection sampling' : null;
  const straight = refinement ? ` These samples come straight from the generator: the graph's ${refinement} run in Genloom, which samples the weights this project writes with them.` : '';
  const heldOut = t.evalEvery > 0 ? `, the losses on held-out data every ${t.evalEvery} steps in \`out/held-out.csv\` (its last row, where the data lists its held-out examples, on every one of them)` : '';
  return `# ${doc.name}

${doc.description ?? ''}

Exported from Genloom as a plain PyTorch project: \`model.py\` holds the networks (${parts.networks.map((n) => n.name).join(', ')}), \`train.py\`
the objectives and the training loop with the graph's settings (batch ${t.batchSize}, ${t.steps} steps, seed ${t.seed}), \`data.py\`
the datasets, read from \`data/\` (nothing is downloaded), and \`genloom_weights.py\` Genloom's weights format.

## Install

\`\`\`sh
pip install -r requirements.txt     # or on Debian/Ubuntu: apt-get install python3-torch
\`\`\`

## Train

\`\`\`sh
python train.py --steps 200                                        # one process
torchrun --standalone --nproc_per_node=2 train.py --steps 200      # two processes on this machine
\`\`\`

With several processes each takes its share of every batch (\`--batch-size\` is the total, ${t.batchSize} by default) and
DistributedDataParallel averages the gradients, so the run follows the same steps as one process would. On CPUs the
processes talk over gloo; on GPUs over nccl, one GPU a process. Debian bookworm's PyTorch 1.13 under Python 3.11 needs
\`--redirects 2 --tee 2\` after \`torchrun\` (its defaults for them fail to parse).

\`--standalone\` meets on port 29400; to run two jobs on one machine, let each pick a free port of its own:
\`torchrun --nnodes=1 --rdzv_backend=c10d --rdzv_endpoint=localhost:0 --nproc_per_node=2 train.py\`.

On several machines, start the same command on each, naming the machine that coordinates (its address and a free port):

\`\`\`sh
# on each of 2 machines with 4 GPUs each
torchrun --nnodes=2 --nproc_per_node=4 --rdzv_id=run1 --rdzv_backend=c10d --rdzv_endpoint=HOST:29400 train.py
\`\`\`

Each run writes \`out/losses.csv\`${heldOut}${sampled}, and at the end \`out/checkpoint.pt\` (continue with
\`--resume out/checkpoint.pt\`) and \`out/weights.json\`.${straight}${withWeights ? ' It starts from the weights exported with the project, `init-weights.json`.' : ''}
${feedbackSection(rating)}
## Back to Genloom

\`out/weights.json\` is a Genloom weights file: open the graph in Genloom and load it with **Import weights** in the
training panel, or continue in Node with \`npm run train -- graph.json --init-weights out/weights.json\`.
Weights exported from Genloom load here with \`python train.py --init weights.json\`.
The file holds the moving average samples are drawn through (\`averages\`) as well when the graph keeps one, both ways.
`;
}
