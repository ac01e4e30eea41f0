// Design checks find graphs that compile but cannot learn, say why, and carry a fix that removes
// the finding; the shipped examples raise none.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../runtime/compiler/analyze';
import { applyDesignFix, designChecks, type DesignWarning } from '../../runtime/compiler/design-checks';
import { hasErrors } from '../../runtime/graph/diagnostics';
import { compile } from '../../runtime/compiler/compile';
import type { GraphDocument } from '../../runtime/graph/document';
import { parseGraph } from '../../runtime/graph/load';
import { defaultSettingsGan } from '../fixtures/default-gan';

const checks = (doc: GraphDocument): DesignWarning[] => designChecks(doc, analyze(doc));
const EXAMPLES = new URL('../../examples/', import.meta.url);
const example = (file: string): GraphDocument => parseGraph(readFileSync(new URL(file, EXAMPLES), 'utf8')).doc!;

function fixAll(doc: GraphDocument): GraphDocument {
  for (let round = 0; round < 10; round++) {
    const next = checks(doc).find((w) => w.fix);
    if (!next) return doc;
    doc = applyDesignFix(doc, next.fix!);
  }
  throw new Error('fixes did not converge');
}

describe('design checks', () => {
  it('find the default-settings GAN linear on both sides, with a 128-wide score', () => {
    const doc = defaultSettingsGan();
    expect(hasErrors(analyze(doc).diagnostics)).toBe(false);
    const found = checks(doc).map((w) => `${w.check}:${w.nodeId}`).sort();
    expect(found).toEqual(['nonlinearity:d1', 'nonlinearity:g1', 'score-width:d2']);
    for (const w of checks(doc)) {
      expect(w.why.length).toBeGreaterThan(40);
      expect(w.message).toContain(`“${w.nodeId}”`);
    }
  });

  it('fix the GAN in one click each, leaving no warning and a graph that compiles', () => {
    const before = defaultSettingsGan();
    const fixed = fixAll(before);
    expect(checks(fixed)).toEqual([]);
    expect(fixed.nodes.find((n) => n.id === 'g1')!.params.activation).toBe('leakyRelu');
    expect(fixed.nodes.find((n) => n.id === 'd2')!.params.units).toBe(1);
    expect(before.nodes.find((n) => n.id === 'g1')!.params.activation).toBeUndefined();
    const { compiled, diagnostics } = compile(fixed);
    expect(hasErrors(diagnostics)).toBe(false);
    compiled?.dispose();
  });

  it('expect 1 + classes numbers from a discriminator that classifies its label, and fix the width to that', () => {
    const doc = example('cgan-mnist.json');
    expect(doc.nodes.find((n) => n.type === 'discriminator')!.params.labelUse).toBe('classify');
    expect(checks(doc).filter((w) => w.check === 'score-width')).toEqual([]);
    doc.nodes.find((n) => n.id === 'd4')!.params.units = 1;
    const found = checks(doc).filter((w) => w.check === 'score-width');
    expect(found.map((w) => w.nodeId)).toEqual(['d4']);
    expect(found[0].message).toMatch(/has 1 number per example; it should have 11: the score, then one logit for each of the 10 classes/);
    const fixed = fixAll(doc);
    expect(fixed.nodes.find((n) => n.id === 'd4')!.params.units).toBe(11);
    expect(checks(fixed).filter((w) => w.check === 'score-width')).toEqual([]);
  });

  it('see through reshape and dropout, and stop at an activation node', () => {
    const doc = defaultSettingsGan();
    doc.nodes.push({ id: 'drop', type: 'dropout', position: { x: 0, y: 0 }, params: {} });
    doc.edges = doc.edges.filter((e) => e.id !== 'e2');
    doc.edges.push({ id: 'a', source: 'g1', sourceHandle: 'out', target: 'drop', targetHandle: 'in' }, { id: 'b', source: 'drop', sourceHandle: 'out', target: 'g2', targetHandle: 'in' });
    expect(checks(doc).some((w) => w.check === 'nonlinearity' && w.nodeId === 'g1')).toBe(true);
    doc.nodes.find((n) => n.id === 'drop')!.type = 'activation';
    expect(checks(doc).some((w) => w.check === 'nonlinearity' && w.nodeId === 'g1')).toBe(false);
  });

  it('want tanh for image data and an unbounded output for points', () => {
    const images = example('dcgan-mnist.json');
    const g4 = images.nodes.find((n) => n.id === 'g4')!;
    g4.params.activation = 'sigmoid';
    const [w] = checks(images).filter((x) => x.check === 'output-range');
    expect(w.nodeId).toBe('g4');
    expect(w.message).toMatch(/\(0, 1\).*\[−1, 1\]/);
    expect(checks(applyDesignFix(images, w.fix!)).filter((x) => x.check === 'output-range')).toEqual([]);

    const ring = example('gan-ring.json');
    const fake = ring.edges.find((e) => e.target === 'D' && e.targetHandle === 'fake')!;
    ring.nodes.find((n) => n.id === fake.source)!.params.activation = 'tanh';
    const [p] = checks(ring).filter((x) => x.check === 'output-range');
    expect(p.nodeId).toBe(fake.source);
    expect(p.fix!.steps).toEqual([{ kind: 'set-param', nodeId: fake.source, param: 'activation', value: 'none' }]);
  });

  it('add the missing KL term to a VAE, wired to its mean and log-variance', () => {
    const vae = example('vae-mnist-2d.json');
    const kl = vae.nodes.find((n) => n.type === 'klDivergence')!;
    const wired = vae.edges.filter((e) => e.target === kl.id).map((e) => `${e.source}.${e.sourceHandle}→${e.targetHandle}`).sort();
    vae.nodes = vae.nodes.filter((n) => n !== kl);
    vae.edges = vae.edges.filter((e) => e.target !== kl.id);
    const [w] = checks(vae);
    expect(w.check).toBe('kl-term');
    const fixed = applyDesignFix(vae, w.fix!);
    const added = fixed.nodes.find((n) => n.type === 'klDivergence')!;
    expect(fixed.edges.filter((e) => e.target === added.id).map((e) => `${e.source}.${e.sourceHandle}→${e.targetHandle}`).sort()).toEqual(wired);
    expect(checks(fixed)).toEqual([]);
    expect(hasErrors(analyze(fixed).diagnostics)).toBe(false);
  });

  it('flag learning rates outside Adam’s usual range, for the graph and for each GAN side', () => {
    const clf = example('classifier-mnist.json');
    clf.training.learningRate = 0.5;
    const [w] = checks(clf);
    expect(w.check).toBe('learning-rate');
    expect(w.message).toMatch(/above/);
    expect(applyDesignFix(clf, w.fix!).training.learningRate).toBe(1e-3);
    clf.training.learningRate = 1e-7;
    expect(checks(clf)[0].message).toMatch(/below/);

    const gan = example('gan-ring.json');
    gan.nodes.find((n) => n.type === 'adversarial')!.params.lrG = 0.1;
    expect(checks(gan).map((x) => `${x.check}:${x.field}`)).toEqual(['learning-rate:lrG']);
  });

  it('flag Diffusion-DPO behind a denoiser that does not predict ε, and the fix sets add-noise back to ε', () => {
    const doc = example('feedback-ddpm-2d.json');
    const noise = doc.nodes.find((n) => n.type === 'addNoise')!;
    noise.params.prediction = 'v';
    const [w] = checks(doc);
    expect(`${w.check}:${w.field}`).toBe('upstream-param:xt');
    expect(w.message).toMatch(new RegExp(`${noise.id}.*prediction.*eps, not v`));
    const fixed = applyDesignFix(doc, w.fix!);
    expect(fixed.nodes.find((n) => n.id === noise.id)!.params.prediction).toBe('eps');
    expect(checks(fixed)).toEqual([]);
  });

  it('flag rejection sampling by a discriminator no log-loss trains, and the fix turns it off', () => {
    const gan = example('gan-ring.json');
    expect(checks(gan)).toEqual([]);
    gan.nodes.find((n) => n.type === 'adversarial')!.params.variant = 'wassersteinGP';
    const [w] = checks(gan);
    expect(`${w.check}:${w.nodeId}:${w.field}`).toBe('rejection-score:D:rejection');
    expect(w.message).toMatch(/by rejection.*wassersteinGP loss/);
    const fixed = applyDesignFix(gan, w.fix!);
    expect(fixed.nodes.find((n) => n.id === 'D')!.params.rejection).toBe('off');
    expect(checks(fixed)).toEqual([]);
  });

  it('flag Langevin steps on a discriminator no log-loss trains, and the fix turns them off', () => {
    const gan = example('gan-ring.json');
    gan.nodes.find((n) => n.id === 'D')!.params = { ...gan.nodes.find((n) => n.id === 'D')!.params, rejection: 'off', langevinSteps: 20 };
    expect(checks(gan)).toEqual([]);
    gan.nodes.find((n) => n.type === 'adversarial')!.params.variant = 'hinge';
    const [w] = checks(gan);
    expect(`${w.check}:${w.nodeId}:${w.field}`).toBe('langevin-score:D:langevinSteps');
    expect(w.message).toMatch(/Langevin steps.*hinge loss/);
    const fixed = applyDesignFix(gan, w.fix!);
    expect(fixed.nodes.find((n) => n.id === 'D')!.params.langevinSteps).toBe(0);
    expect(checks(fixed)).toEqual([]);
  });

  it('take a calibrated discriminator’s score as a log-loss one, and flag calibration nothing samples through', () => {
    const gan = example('gan-ring.json');
    const loss = gan.nodes.find((n) => n.type === 'adversarial')!;
    loss.params = { ...loss.params, variant: 'hinge', calibrationSteps: 500 };
    expect(checks(gan)).toEqual([]);
    gan.nodes.find((n) => n.id === 'D')!.params.rejection = 'off';
    const [w] = checks(gan);
    expect(`${w.check}:${w.nodeId}:${w.field}`).toBe(`calibration-unused:${loss.id}:calibrationSteps`);
    expect(w.message).toMatch(/calibrates.*500 steps.*not sample by rejection or Langevin steps/);
    const fixed = applyDesignFix(gan, w.fix!);
    expect(fixed.nodes.find((n) => n.id === loss.id)!.params.calibrationSteps).toBe(0);
    expect(checks(fixed)).toEqual([]);
  });

  it('flag truncation of uniform noise, which has no tails to cut, and the fix turns it off', () => {
    const gan = example('cgan-mnist.json');
    const z = gan.nodes.find((n) => n.type === 'noise')!;
    z.params = { ...z.params, truncation: 1.5 };
    expect(checks(gan)).toEqual([]);
    z.params.distribution = 'uniform';
    const [w] = checks(gan);
    expect(`${w.check}:${w.nodeId}:${w.field}`).toBe(`truncation-uniform:${z.id}:truncation`);
    expect(w.message).toMatch(/truncates its noise at 1\.5.*U\(-1, 1\)/);
    const fixed = applyDesignFix(gan, w.fix!);
    expect(fixed.nodes.find((n) => n.id === z.id)!.params.truncation).toBe(0);
    expect(checks(fixed)).toEqual([]);
  });

  it('raise nothing for the shipped examples', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
      expect(checks(example(file)).map((w) => w.message), file).toEqual([]);
    }
  });
});
