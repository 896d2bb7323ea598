/** Spectra of curvature matrices: numerical ranks and low-rank reconstruction errors. */
import { Matrix, eigvalsh, defaultTolerance, rankOfSpectrum } from "../linalg";

/** The eigenvalues of a symmetric matrix and its numerical rank at the default tolerance (returned by `spectrumOf`). */
export interface SpectrumSummary {
  /** eigenvalues, ascending */
  eigenvalues: Float64Array;
  /** default tolerance max|λ| · p · eps */
  tolerance: number;
  /** numerical rank at the default tolerance */
  rank: number;
}

/**
 * All eigenvalues (ascending) of a symmetric p×p matrix such as a Hessian, and its numerical rank at the default
 * tolerance max|λ|·p·eps. Throws a `LinalgError` when H is not symmetric or not finite.
 */
export function spectrumOf(H: Matrix): SpectrumSummary {
  const eigenvalues = eigvalsh(H);
  return summarizeSpectrum(eigenvalues);
}

/**
 * `spectrumOf` for eigenvalues computed elsewhere: the default tolerance max|λ|·p·eps (p = their count) and the rank at
 * it.
 */
export function summarizeSpectrum(eigenvalues: Float64Array): SpectrumSummary {
  const p = eigenvalues.length;
  let maxAbs = 0;
  for (const v of eigenvalues) maxAbs = Math.max(maxAbs, Math.abs(v));
  const tolerance = defaultTolerance(maxAbs, p, p);
  return { eigenvalues, tolerance, rank: rankOfSpectrum(eigenvalues, tolerance) };
}

/** Rank at an absolute threshold on |λ|. */
export function rankAt(eigenvalues: ArrayLike<number>, tol: number): number {
  return rankOfSpectrum(eigenvalues, tol);
}

/**
 * Relative Frobenius error ‖H − H_k‖_F / ‖H‖_F of the best rank-k approximation (the k eigenpairs
 * of largest |λ|), for k = 0..p: entry k is √(Σ_{i>k} λ_(i)²) / √(Σ λ²) with |λ| sorted descending.
 */
export function reconstructionErrors(eigenvalues: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i];
    if (!Number.isFinite(v))
      throw new Error(`reconstructionErrors: the eigenvalues have a non-finite value ${v} at index ${i}`);
    max = Math.max(max, Math.abs(v));
  }
  // the errors are relative: when λ² would overflow (|λ| above 1e150) the eigenvalues are scaled by the largest first
  const scale = max > 1e150 ? max : 1;
  const sq = Array.from(eigenvalues, (v) => (scale === 1 ? v * v : (v / scale) ** 2)).sort((a, b) => b - a);
  const p = sq.length;
  const out = new Float64Array(p + 1);
  // tail sums from the smallest up, for accuracy
  let tail = 0;
  for (let k = p; k >= 0; k--) {
    out[k] = tail;
    if (k > 0) tail += sq[k - 1];
  }
  const total = tail;
  for (let k = 0; k <= p; k++) out[k] = total > 0 ? Math.sqrt(out[k] / total) : 0;
  return out;
}
