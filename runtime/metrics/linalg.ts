// The little dense linear algebra the Fréchet distance needs, on row-major d×d matrices (d = 10
// logits here, so plain loops beat any tensor round trip).

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(a: ArrayLike<number>, d: number): { values: number[]; vectors: number[] } {
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d}×${d} values, got ${a.length}`);
  const m = Array.from(a);
  const v = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (i === j) scale += m[i * d + j] ** 2;
        else off += m[i * d + j] ** 2;
      }
    }
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        // The rotation that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: d }, (_, i) => m[i * d + i]), vectors: v };
}

export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number[] {
  const out = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  return out;
}

/**
 * The symmetric square root of a symmetric positive semi-definite matrix. Eigenvalues that
 * rounding pushed below zero count as zero, as TF-GAN's `_symmetric_matrix_square_root` does.
 */
export function sqrtSymmetric(a: ArrayLike<number>, d: number): number[] {
  const { values, vectors } = symmetricEigen(a, d);
  const out = new Array<number>(d * d).fill(0);
  for (let k = 0; k < d; k++) {
    const r = Math.sqrt(Math.max(values[k], 0));
    if (r === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * r;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * vectors[j * d + k];
    }
  }
  return out;
}

/** Tr(sqrt(A·B)) for symmetric PSD A and B, as Tr(sqrt(√A·B·√A)), which is symmetric. */
export function traceSqrtProduct(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  const ra = sqrtSymmetric(a, d);
  const { values } = symmetricEigen(matMul(matMul(ra, b, d), ra, d), d);
  return values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
}
