/**
 * Dense float64 curvature matrices of the mean loss:
 *   H   = ∇²_θ L
 *   H_o = (1/N) Σ_n J_nᵀ Λ_n J_n      (outer-product / Gauss–Newton part; Λ_n = ∂²ℓ/∂f²)
 *   H_f = (1/N) Σ_n Σ_c r_{n,c} ∇²_θ f_c(x_n) = H − H_o      (functional part; r = ∂ℓ/∂f)
 * Built by layer-block formulas (dense.ts): per-neuron R-operator sensitivities, then one GEMM over the
 * samples per block, on the BLAS path. Matrix-free products use the parameter-direction R-operator
 * (products.ts); the tests check each against the other.
 */
import { Matrix } from "../linalg";
import { Problem, prepare, Prepared } from "./problem";
import { curvatureProducts, CurvatureKind } from "./products";
import { denseCurvature } from "./dense";

/** Largest dense Hessian rankscope will build before asking for the matrix-free functions. */
export const DEFAULT_MAX_DENSE_BYTES = 8 * 2 ** 30;

export interface HessianOptions {
  /** which matrices to build (default all three) */
  parts?: ("H" | "Ho" | "Hf")[];
  /** refuse when the dense matrices would need more than this many bytes (default 8 GiB) */
  maxBytes?: number;
  /** called with the fraction done, for progress displays */
  onProgress?: (fraction: number) => void;
}

export interface HessianResult {
  p: number;
  loss: number;
  H?: Matrix;
  Ho?: Matrix;
  Hf?: Matrix;
}

export class DenseTooLargeError extends Error {
  constructor(p: number, count: number, bytes: number, max: number) {
    super(
      `hessian: p = ${p} parameters needs ${count} dense ${p}×${p} float64 matrices = ${(bytes / 2 ** 30).toFixed(2)} GiB, over the limit of ${(max / 2 ** 30).toFixed(2)} GiB. ` +
        `Use the matrix-free functions (hessianVectorProducts, topEigenvalues, hutchinsonTrace) or raise maxBytes.`,
    );
    this.name = "DenseTooLargeError";
  }
}

export function checkDenseSize(p: number, count: number, maxBytes = DEFAULT_MAX_DENSE_BYTES): void {
  const bytes = count * p * p * 8;
  if (bytes > maxBytes) throw new DenseTooLargeError(p, count, bytes, maxBytes);
}

/** Dense H, H_o and H_f (as asked) of the mean loss at the given parameters. */
export function hessian(problem: Problem, opts: HessianOptions = {}): HessianResult {
  const parts = opts.parts ?? ["H", "Ho", "Hf"];
  for (const part of parts) if (!["H", "Ho", "Hf"].includes(part)) throw new Error(`hessian: unknown part "${part}"; allowed: H, Ho, Hf`);
  const prep = prepare("hessian", problem);
  const needH = parts.includes("H") || parts.includes("Hf");
  const needHo = parts.includes("Ho") || parts.includes("Hf");
  checkDenseSize(prep.p, (needH ? 1 : 0) + (needHo ? 1 : 0) + (parts.includes("Hf") ? 1 : 0), opts.maxBytes);
  const share = needH && needHo ? 0.5 : 1;
  const H = needH ? denseCurvature(prep, "hessian", (f) => opts.onProgress?.(f * share)) : undefined;
  const Ho = needHo ? denseCurvature(prep, "ggn", (f) => opts.onProgress?.((needH ? 0.5 : 0) + f * share)) : undefined;
  let Hf: Matrix | undefined;
  if (parts.includes("Hf")) {
    Hf = new Matrix(prep.p, prep.p);
    for (let i = 0; i < Hf.data.length; i++) Hf.data[i] = H!.data[i] - Ho!.data[i];
  }
  return { p: prep.p, loss: prep.lossValue, H: parts.includes("H") ? H : undefined, Ho: parts.includes("Ho") ? Ho : undefined, Hf };
}

/** Rows of V·C for a block of directions V (B×p), C = H or H_o, without forming C. */
export function hessianVectorProducts(problem: Problem, V: Matrix, kind: CurvatureKind = "hessian"): Matrix {
  return curvatureProducts(prepare("hessianVectorProducts", problem), V, kind);
}
