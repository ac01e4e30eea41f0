import { describe, expect, it } from 'vitest';
import { Rng } from '../../nodes/rng';
import { classifierScore, confidentFraction, frechetDistance, logitStats } from '../../runtime/metrics/images';
import { matMul, sqrtSymmetric, symmetricEigen, traceSqrtProduct } from '../../runtime/metrics/linalg';

const rng = new Rng(9);
const randomRows = (n: number, d: number, scale = 1) => Float32Array.from({ length: n * d }, () => scale * rng.normal());

/** A random symmetric positive-definite d×d matrix B·Bᵀ + εI. */
function spd(d: number): number[] {
  const b = Array.from({ length: d * d }, () => rng.normal());
  const bt = Array.from({ length: d * d }, (_, k) => b[(k % d) * d + Math.floor(k / d)]);
  return matMul(b, bt, d).map((v, k) => v + (k % (d + 1) === 0 ? 0.1 : 0));
}

describe('linear algebra for the Fréchet distance', () => {
  it('finds eigenpairs and the symmetric square root of an SPD matrix', () => {
    const d = 10;
    const a = spd(d);
    const { values, vectors } = symmetricEigen(a, d);
    // A·v = λ·v for every pair.
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let av = 0;
        for (let j = 0; j < d; j++) av += a[i * d + j] * vectors[j * d + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * d + k], 8);
      }
    }
    const r = sqrtSymmetric(a, d);
    matMul(r, r, d).forEach((v, k) => expect(v).toBeCloseTo(a[k], 8));
  });

  it('gives Tr √(AB) = Σ √(aᵢbᵢ) for diagonal matrices', () => {
    const a = [4, 0, 0, 0, 9, 0, 0, 0, 1];
    const b = [1, 0, 0, 0, 4, 0, 0, 0, 16];
    expect(traceSqrtProduct(a, b, 3)).toBeCloseTo(2 + 6 + 4, 10);
  });
});

describe('TF-GAN metrics on logits', () => {
  it('Fréchet distance of a set with itself is 0', () => {
    const s = logitStats(randomRows(500, 10, 3), 10);
    expect(frechetDistance(s, s)).toBeCloseTo(0, 6);
  });

  it('Fréchet distance of diagonal Gaussians is ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)²', () => {
    const a = { count: 0, mean: [0, 1], cov: [4, 0, 0, 1] };
    const b = { count: 0, mean: [3, 1], cov: [1, 0, 0, 9] };
    expect(frechetDistance(a, b)).toBeCloseTo(9 + (2 - 1) ** 2 + (1 - 3) ** 2, 10);
  });

  it('takes the covariance with n − 1, as TF-GAN does', () => {
    const s = logitStats([1, 0, 3, 0, 5, 0], 2);
    expect(s.mean).toEqual([3, 0]);
    expect(s.cov[0]).toBeCloseTo(4, 12);
  });

  it('classifier score is K for confident, balanced predictions and 1 for identical ones', () => {
    const K = 10;
    const confident = new Float32Array(100 * K);
    for (let i = 0; i < 100; i++) confident[i * K + (i % K)] = 50;
    expect(classifierScore(confident, K)).toBeCloseTo(K, 6);
    const same = new Float32Array(100 * K);
    for (let i = 0; i < 100; i++) same[i * K + 3] = 50;
    expect(classifierScore(same, K)).toBeCloseTo(1, 6);
    // Uniform predictions carry no information either.
    expect(classifierScore(new Float32Array(100 * K), K)).toBeCloseTo(1, 12);
    expect(confidentFraction(confident, K)).toBe(1);
    expect(confidentFraction(new Float32Array(100 * K), K)).toBe(0);
  });

  it('classifier score equals exp(mean KL(p(y|x) ‖ p(y))) on a hand-worked pair', () => {
    // Two rows with p = (0.8, 0.2) and (0.2, 0.8): the marginal is (0.5, 0.5).
    const l = Math.log(4);
    const kl = 0.8 * Math.log(0.8 / 0.5) + 0.2 * Math.log(0.2 / 0.5);
    expect(classifierScore([l, 0, 0, l], 2)).toBeCloseTo(Math.exp(kl), 12);
  });
});
