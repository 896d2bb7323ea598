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
import { DENSE_BYTES_LIMIT, Problem, prepare } from "./problem";
import { CurvatureKind, denseKind, hessianKind, ggnKind } from "./kinds";
import { checkOptions, fn, OptionRule } from "../util/options";

/** Largest dense Hessian rankscope will build before asking for the matrix-free functions. */
export const DEFAULT_MAX_DENSE_BYTES = DENSE_BYTES_LIMIT;

/** Options of `hessian`. */
/** The three dense curvature matrices `hessian` can build. */
export type HessianPart = "H" | "Ho" | "Hf";

/** Options of `hessian`: which parts to build, a memory cap, progress. */
export interface HessianOptions<P extends HessianPart = HessianPart> {
  /** which matrices to build (default all three); the result's type has exactly these set */
  parts?: readonly P[];
  /** refuse when the dense matrices would need more than this many bytes (default 8 GiB) */
  maxBytes?: number;
  /** called with the fraction done, for progress displays */
  onProgress?: (fraction: number) => void;
}

/**
 * Dense curvature matrices (p×p, float64, symmetric) of the mean loss; only the parts asked for are set, and the type
 * says which: `hessian(problem, { parts: ["H"] }).H` is a `Matrix`, `.Ho` is `undefined`. With `parts` left out (or
 * given as a plain `HessianPart[]`) all three are typed as set.
 */
export type HessianResult<P extends HessianPart = HessianPart> = {
  /** the number of parameters */
  p: number;
  /** the mean loss at the parameters */
  loss: number;
} & { [K in P]: Matrix } & { [K in Exclude<HessianPart, P>]?: undefined } & HessianParts;

/** What each part is (documentation for the fields of `HessianResult`). */
interface HessianParts {
  /** the Hessian H = ∇²_θ L */
  H?: Matrix;
  /** the outer-product (Gauss–Newton) part H_o = (1/N) Σ_n J_nᵀ Λ_n J_n */
  Ho?: Matrix;
  /** the functional part H_f = H − H_o */
  Hf?: Matrix;
}

/**
 * Thrown by `hessian` (and the other dense builders) when the p×p float64 matrices asked for would exceed the
 * `maxBytes` limit; the message gives the size needed and the matrix-free alternatives.
 */
export class DenseTooLargeError extends Error {
  constructor(p: number, count: number, bytes: number, max: number) {
    super(
      `hessian: p = ${p} parameters needs ${count} dense ${p}×${p} float64 matrices = ` +
        `${(bytes / 2 ** 30).toFixed(2)} GiB, over the limit of ${(max / 2 ** 30).toFixed(2)} GiB. ` +
        `Use the matrix-free functions (hessianVectorProducts, topEigenvalues, hutchinsonTrace) or raise maxBytes.`,
    );
    this.name = "DenseTooLargeError";
  }
}

/**
 * The names of the three dense curvature matrices, "H", "Ho" and "Hf".
 * @internal
 */
export const CURVATURE_PART_NAMES = ["H", "Ho", "Hf"] as const;
/**
 * The option rule of `parts`, shared by hessian() and linearHessianClosedForm() (the part names get their own
 * message: unknown part "…").
 * @internal
 */
export const partsRule: OptionRule = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === "string")
    ? undefined
    : `a list of ${CURVATURE_PART_NAMES.map((n) => JSON.stringify(n)).join(", ")}`;
/**
 * The option rule of `maxBytes`, shared by hessian() and linearHessianClosedForm().
 * @internal
 */
export const maxBytesRule: OptionRule = (v) =>
  typeof v === "number" && v > 0 ? undefined : "a number of bytes > 0 (Infinity for no limit)";

/** Raised when the loss or a curvature matrix came out NaN or ±Infinity (float64 overflow). */
export class NonFiniteCurvatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NonFiniteCurvatureError";
  }
}

function largestAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * The error for a non-finite result: what was found, and the sizes that make overflow likely.
 * @internal
 */
export function nonFiniteError(op: string, problem: Problem, what: string): NonFiniteCurvatureError {
  const show = (v: number) => String(Number(v.toPrecision(3)));
  return new NonFiniteCurvatureError(
    `${op}: ${what} — the float64 computation overflowed; likely cause: parameters or inputs too large ` +
      (`(largest |parameter| = ${show(largestAbs(problem.params))}, largest |input| = ` +
        `${show(largestAbs(problem.X.data))}). Rescale the parameters or the inputs.`),
  );
}

/**
 * Throws NonFiniteCurvatureError when the loss is not finite.
 * @internal
 */
export function checkFiniteLoss(op: string, problem: Problem, loss: number): void {
  if (!Number.isFinite(loss)) throw nonFiniteError(op, problem, `the loss is ${loss} at these parameters`);
}

/**
 * Throws NonFiniteCurvatureError at the first NaN or ±Infinity entry of the given matrices (one pass each).
 * @internal
 */
export function checkFiniteMatrices(
  op: string,
  problem: Problem,
  loss: number,
  mats: Record<string, Matrix | undefined>,
): void {
  for (const [name, M] of Object.entries(mats)) {
    if (!M) continue;
    const d = M.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        const r = Math.floor(i / M.cols);
        throw nonFiniteError(
          op,
          problem,
          `${name} has a non-finite entry ${d[i]} at (${r}, ${i - r * M.cols}) (loss ${loss})`,
        );
      }
    }
  }
}

/**
 * Throws a `DenseTooLargeError` when `count` dense p×p float64 matrices exceed `maxBytes` (default 8 GiB).
 * @internal
 */
export function checkDenseSize(p: number, count: number, maxBytes = DEFAULT_MAX_DENSE_BYTES): void {
  const bytes = count * p * p * 8;
  if (bytes > maxBytes) throw new DenseTooLargeError(p, count, bytes, maxBytes);
}

/**
 * Dense p×p float64 H, H_o and H_f (as asked in `parts`, default all three) of the mean loss at the given parameters.
 * Throws a `SpecError` for an invalid problem, a `DenseTooLargeError` over `maxBytes` (default 8 GiB), and a
 * `NonFiniteCurvatureError` when the loss or a matrix overflows.
 */
export function hessian<P extends HessianPart = HessianPart>(
  problem: Problem,
  opts: HessianOptions<P> = {},
): HessianResult<P> {
  checkOptions("hessian", opts, { parts: partsRule, maxBytes: maxBytesRule, onProgress: fn });
  const parts: readonly HessianPart[] = opts.parts ?? ["H", "Ho", "Hf"];
  for (const part of parts)
    if (!["H", "Ho", "Hf"].includes(part)) throw new Error(`hessian: unknown part "${part}"; allowed: H, Ho, Hf`);
  const prep = prepare("hessian", problem);
  // an overflowed loss means overflowed matrices: refuse before building them
  checkFiniteLoss("hessian", problem, prep.lossValue);
  const needH = parts.includes("H") || parts.includes("Hf");
  const needHo = parts.includes("Ho") || parts.includes("Hf");
  checkDenseSize(prep.p, (needH ? 1 : 0) + (needHo ? 1 : 0) + (parts.includes("Hf") ? 1 : 0), opts.maxBytes);
  const share = needH && needHo ? 0.5 : 1;
  const H = needH ? hessianKind.dense(prep, (f) => opts.onProgress?.(f * share)) : undefined;
  const Ho = needHo ? ggnKind.dense(prep, (f) => opts.onProgress?.((needH ? 0.5 : 0) + f * share)) : undefined;
  let Hf: Matrix | undefined;
  if (parts.includes("Hf")) {
    Hf = new Matrix(prep.p, prep.p);
    for (let i = 0; i < Hf.data.length; i++) Hf.data[i] = H!.data[i] - Ho!.data[i];
  }
  const result = {
    p: prep.p,
    loss: prep.lossValue,
    H: parts.includes("H") ? H : undefined,
    Ho: parts.includes("Ho") ? Ho : undefined,
    Hf,
  };
  checkFiniteMatrices("hessian", problem, prep.lossValue, { H: result.H, Ho: result.Ho, Hf });
  return result as HessianResult<P>;
}

/**
 * Rows of V·C (B×p) for a block of directions V (B×p, one per row), C = H (kind "hessian", default) or H_o (kind
 * "ggn"), by the batched R-operator without forming C. Throws when V does not have p columns.
 */
export function hessianVectorProducts(problem: Problem, V: Matrix, kind: CurvatureKind = "hessian"): Matrix {
  // refused before the problem is prepared (an unknown kind gave zeros)
  const module = denseKind("hessianVectorProducts", kind);
  if (!(V instanceof Matrix))
    throw new Error("hessianVectorProducts: V must be a Matrix of directions, one per row (B×p)");
  return module.product(prepare("hessianVectorProducts", problem), V);
}
