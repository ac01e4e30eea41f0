// The export as a whole, without running python: what it writes, what stops it, and its CLI arguments.
import { describe, expect, it } from 'vitest';
import { exportPytorch } from '../../runtime/export/pytorch/project';
import { nodeAssets } from '../../runtime/data/assets-node';
import { parseExportArgs } from '../../runtime/cli/export-args';
import { ganDoc } from '../compiler/docs';
import type { PreferenceSet } from '../../nodes/feedback/preferences';
import { loadExample, variant } from '../learning/helpers-learning';

describe('PyTorch project', () => {
  it('writes the project files, and the datasets the graph reads as .npy', async () => {
    const { files } = await exportPytorch(ganDoc(), nodeAssets);
    expect([...files!.keys()].sort()).toEqual(
      ['README.md', 'data.py', 'data/ring-data-test-labels.npy', 'data/ring-data-test-points.npy', 'data/ring-data-train-labels.npy', 'data/ring-data-train-points.npy', 'genloom_weights.py', 'model.py', 'requirements.txt', 'train.py'],
    );
    const train = files!.get('train.py') as string;
    // The discriminator trains through DDP on both routes; the generator's output is held fixed.
    expect(train).toContain('D_realScore = run.ddp.discriminator(data_x)');
    expect(train).toMatch(/with torch\.no_grad\(\):\n\s+g2 = run\.nets\.generator\(z\)/);
    expect(train).toContain('data.endless(data.load("data", "train"), per_process, rank, world, args.seed)');
    expect(files!.get('data.py')).toContain('sampler.set_epoch(epoch)');
  });

  it('says in its README that samples come straight from the generator when the graph refines them in Genloom', async () => {
    const doc = loadExample('dcgan-mnist.json');
    const readmeWith = async (params: Record<string, unknown>) => {
      for (const n of doc.nodes) if (n.id === 'D') n.params = { ...n.params, rejection: 'off', langevinSteps: 0, ...params };
      return (await exportPytorch(doc, nodeAssets)).files!.get('README.md') as string;
    };
    expect(await readmeWith({})).not.toContain('straight from the generator');
    expect(await readmeWith({ langevinSteps: 40 })).toContain("the graph's 40 latent Langevin steps run in Genloom");
    expect(await readmeWith({ rejection: 'drs' })).toContain("the graph's rejection sampling run in Genloom");
  });

  it('turns off DDP buffer broadcasts only for a discriminator with batch norm', async () => {
    const doc = loadExample('dcgan-mnist.json');
    const plain = (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    expect(plain).not.toContain('broadcast_buffers');
    doc.nodes.push({ id: 'bn', type: 'batchNorm', position: { x: 0, y: 0 }, params: {}, parentId: 'D' });
    const edge = doc.edges.find((e) => e.source === 'd1' && e.target === 'd2')!;
    doc.edges.push({ id: 'bn-in', source: 'd1', sourceHandle: 'out', target: 'bn', targetHandle: 'in' });
    edge.source = 'bn';
    const withNorm = (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    expect(withNorm).toContain('discriminator=DDP(nets.discriminator, device_ids=ids, broadcast_buffers=False)');
    expect(withNorm).toContain('generator=DDP(nets.generator, device_ids=ids),');
  });

  it('writes the class loss of an AC-GAN on real and generated data, of a semi-supervised discriminator on real data alone, of an InfoGAN on generated data alone', async () => {
    const trainPy = async (labelUse: string) => {
      const doc = loadExample('cgan-mnist.json');
      doc.nodes.find((x) => x.id === 'D')!.params.labelUse = labelUse;
      return (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    };
    const line = (py: string, name: string) => py.split('\n').find((l) => l.trim().startsWith(`${name} =`))!;
    const acgan = await trainPy('classify');
    expect(line(acgan, 'loss_discriminator')).toContain('2.0 * (F.cross_entropy(D_realScore[:, 1:], data_label.argmax(dim=1)) + F.cross_entropy(D_fakeScore[:, 1:], data_label.argmax(dim=1)))');
    expect(line(acgan, 'loss_generator')).toContain('F.cross_entropy(D_fakeScore[:, 1:]');
    const semi = await trainPy('classifyReal');
    expect(line(semi, 'loss_discriminator')).toContain('2.0 * (F.cross_entropy(D_realScore[:, 1:], data_label.argmax(dim=1)))');
    expect(line(semi, 'loss_discriminator')).not.toContain('D_fakeScore[:, 1:]');
    expect(line(semi, 'loss_generator')).not.toContain('cross_entropy');
    const info = await trainPy('classifyFake');
    expect(line(info, 'loss_discriminator')).toContain('2.0 * (F.cross_entropy(D_fakeScore[:, 1:], data_label.argmax(dim=1)))');
    expect(line(info, 'loss_discriminator')).not.toContain('D_realScore[:, 1:]');
    expect(line(info, 'loss_generator')).toContain('F.cross_entropy(D_fakeScore[:, 1:]');
  });

  it('draws a categorical code as one-hot rows, in training and sampling', async () => {
    const doc = variant(loadExample('cgan-mnist.json'), {}, { z: { distribution: 'categorical', shape: [10] } });
    const py = (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    expect(py.match(/\bz = F\.one_hot\(torch\.randint\(0, 10, \(run\.batch[^,]*,\), device=run\.device\), 10\)\.float\(\)/g)?.length).toBeGreaterThanOrEqual(1);
    expect(py).not.toMatch(/\bz = torch\.randn/);
  });

  it('draws truncated noise for sampling only, when the noise node truncates', async () => {
    const trainPy = async (truncation: number) => {
      const doc = variant(loadExample('cgan-mnist.json'), {}, { z: { truncation } });
      return (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    };
    const cut = await trainPy(1.5);
    expect(cut.match(/torch\.nn\.init\.trunc_normal_\(torch\.empty\([^)]*\), 0\.0, 1\.0, -1\.5, 1\.5\)/g)).toHaveLength(1);
    // The training step still draws the full N(0, I).
    expect(cut).toMatch(/\bz = torch\.randn\(run\.batch/);
    expect(await trainPy(0)).not.toContain('trunc_normal_');
  });

  it('samples every line corpus from the end-of-text token, and running text from a prompt', async () => {
    const sampling = async (file: string) => (await exportPytorch(loadExample(file), nodeAssets)).files!.get('train.py') as string;
    const fromEnd = 'ids = torch.zeros(count, 1, dtype=torch.long, device=run.device)';
    for (const file of ['gpt-names.json', 'gpt-names-32k.json']) expect(await sampling(file)).toContain(fromEnd);
    const novel = await sampling('gpt-moby-dick.json');
    expect(novel).not.toContain(fromEnd);
    expect(novel).toContain('data.encode("The ", "text")');
  });

  it('schedules the base run’s optimizers only: a feedback run’s reward model and policy train at their own rate', async () => {
    const doc = loadExample('feedback-ring.json');
    doc.training = { ...doc.training, lrSchedule: 'cosine' };
    const train = (await exportPytorch(doc, nodeAssets)).files!.get('train.py') as string;
    // The optimizers are listed one per phase, each named in a comment; the schedulers pick the base run's.
    const listed = [...train.matchAll(/^ {8}torch\.optim\.\w+\(.*# (\w+)$/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(2);
    const picked = /LambdaLR\(optimizers\[i\], lr_factor\) for i in \(([\d, ]+),\)\]/.exec(train);
    expect(picked).not.toBeNull();
    const names = picked![1].split(',').map((i) => listed[Number(i)]);
    expect(names).toEqual(listed.filter((n) => !/reward|policy|tune/.test(n)));
    const plain = (await exportPytorch(variant(loadExample('gan-ring.json'), {}, {}), nodeAssets)).files!.get('train.py') as string;
    expect(plain).toContain('schedulers = [torch.optim.lr_scheduler.LambdaLR(o, lr_factor) for o in optimizers]');
  });

  it('stops with a diagnostic naming a node it cannot write', async () => {
    const doc = variant(loadExample('gan-ring.json'), {}, { d1: { spectralNorm: true } });
    const { files, diagnostics } = await exportPytorch(doc, nodeAssets);
    expect(files).toBeNull();
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'export', nodeId: 'd1', message: expect.stringMatching(/dense "d1".*spectral norm/) }));
  });

  it('writes the pairs rated in the app beside data.py, and the classifier a digit rule judges with', async () => {
    const doc = variant(loadExample('feedback-ring.json'), {}, { prefs: { rater: 'you', pairsName: 'my pairs', pairCount: 2 } });
    const missing = await exportPytorch(doc, nodeAssets);
    expect(missing.files).toBeNull();
    expect(missing.diagnostics).toContainEqual(expect.objectContaining({ code: 'export', nodeId: 'prefs', field: 'pairsName' }));
    const pairs: PreferenceSet = { format: 'genloom-preferences', version: 1, kind: 'points', pairs: [{ chosen: [1, 0], rejected: [-1, 0], rater: 'you' }, { chosen: [0, 2], rejected: [0, -2], tie: true, rater: 'you' }] };
    const { files } = await exportPytorch(doc, nodeAssets, { preferences: new Map([['my pairs', pairs]]) });
    expect(JSON.parse(files!.get('data/prefs-pairs.json') as string).pairs).toEqual(pairs.pairs);
    expect(files!.get('preferences.py')).toContain('"prefs": prefs_pairs(),');
    // Pairs a person rated are fitted once after the base training; no rater runs in python.
    expect(files!.get('train.py')).toMatch(/ROUNDS = 1/);
    expect(files!.get('preferences.py')).not.toContain('def rate(');

    // Image pairs scored by a reward model alone (no fine-tune of the ring's points).
    const digits = variant(loadExample('feedback-ring.json'), {}, { prefs: { kind: 'image', rater: 'digit-probability' } });
    digits.nodes = digits.nodes.filter((n) => n.id !== 'tune');
    digits.edges = digits.edges.filter((e) => e.target !== 'tune' && e.targetHandle !== 'generated');
    // The digit-probability rule rates with Genloom's fixed MNIST classifier, which travels with the project.
    const rated = await exportPytorch(digits, nodeAssets);
    expect(rated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(rated.files!.get('preferences.py')).toContain('classifier.digit_probability(samples, 3)');
    expect(rated.files!.get('classifier.py')).toContain('class MnistClassifier');
    expect(rated.files!.has('data/mnist-classifier.npy')).toBe(true);
    expect((await exportPytorch(loadExample('feedback-ring.json'), nodeAssets)).files!.has('classifier.py')).toBe(false);
  });

  it('reads its command line, refusing what is missing or unknown by name', () => {
    expect(parseExportArgs(['g.json', '--to', 'pytorch', '--out', 'dir', '--weights=w.json'])).toEqual({
      help: false,
      args: { graph: 'g.json', to: 'pytorch', out: 'dir', weights: 'w.json' },
    });
    const bad = parseExportArgs(['g.json', '--to', 'onnx', '--bogus']);
    expect('errors' in bad && bad.errors).toEqual(['unknown option --bogus', '--to expects pytorch, got "onnx"', '--out is required: the folder to write the project to']);
  });
});
