/**
 * Matrix-free spectral estimators on any symmetric operator given by its action on a block of
 * vectors (rows): the curvature of a network (`curvatureOperator`) or a dense matrix (`denseOperator`).
 * - Lanczos with full re-orthogonalisation (`spectral.ts`): extreme eigenvalues; Ritz vectors, densities,
 *   Hutch++ and diagonals are in `spectral.ts`.
 * - Hutchinson: trace from Rademacher probes, with its standard error.
 */
import { Matrix, gemm } from "../linalg";
import { Rng } from "../util/random";
import { checkOptions, int, oneOf } from "../util/options";
import { Problem, prepare } from "./problem";
import { curvatureProducts, CurvatureKind, blockSize } from "./products";
import { lanczos, tridiagonalEigh } from "./spectral";

export interface SymmetricOperator {
  /** dimension */
  p: number;
  /** rows of V·A for V (B×p) */
  apply(V: Matrix): Matrix;
  /** preferred number of vectors per call */
  block: number;
}

/** "hessian" H, "ggn" H_o, or "functional" H_f = H − H_o (two products per block). */
export type OperatorKind = CurvatureKind | "functional";

export function curvatureOperator(problem: Problem, kind: OperatorKind = "hessian"): SymmetricOperator {
  if (!["hessian", "ggn", "functional"].includes(kind)) throw new Error(`curvatureOperator: kind must be "hessian", "ggn" or "functional"; got ${JSON.stringify(kind)}`);
  const prep = prepare("curvatureOperator", problem);
  const apply =
    kind === "functional"
      ? (V: Matrix) => {
          const H = curvatureProducts(prep, V, "hessian");
          const Ho = curvatureProducts(prep, V, "ggn");
          for (let i = 0; i < H.data.length; i++) H.data[i] -= Ho.data[i];
          return H;
        }
      : (V: Matrix) => curvatureProducts(prep, V, kind);
  return { p: prep.p, apply, block: blockSize(prep) };
}

export function denseOperator(A: Matrix): SymmetricOperator {
  return { p: A.rows, apply: (V) => gemm(V, A), block: 64 };
}

export interface LanczosOptions {
  /** Krylov dimension (default min(p, max(2k + 20, 60))) */
  steps?: number;
  seed?: number;
  /** "largest" algebraic (default) or "magnitude" */
  which?: "largest" | "magnitude";
}

/** The k extreme eigenvalues of a symmetric operator by Lanczos (full re-orthogonalisation). */
export function topEigenvalues(op: SymmetricOperator, k: number, opts: LanczosOptions = {}): Float64Array {
  checkOptions("topEigenvalues", opts, { steps: int(1), seed: int(), which: oneOf(["largest", "magnitude"]) });
  const { p } = op;
  if (!Number.isInteger(k) || k < 1 || k > p) throw new Error(`topEigenvalues: k must be an integer in 1..${p}, got ${k}`);
  const run = lanczos(op, opts.steps ?? Math.max(2 * k + 20, 60), new Rng(opts.seed ?? 0).normals(p));
  const steps = run.steps;
  const ritz = Array.from(tridiagonalEigh(run).values);
  const sorted = opts.which === "magnitude" ? ritz.sort((a, b) => Math.abs(b) - Math.abs(a)) : ritz.sort((a, b) => b - a);
  return Float64Array.from(sorted.slice(0, Math.min(k, steps)));
}

/** Hutchinson's trace estimate E[vᵀAv] over Rademacher v, with its standard error. */
export function hutchinsonTrace(op: SymmetricOperator, opts: { samples?: number; seed?: number } = {}): { trace: number; stderr: number; samples: number } {
  checkOptions("hutchinsonTrace", opts, { samples: int(2), seed: int() });
  const S = opts.samples ?? 100;
  if (!Number.isInteger(S) || S < 2) throw new Error(`hutchinsonTrace: samples must be an integer ≥ 2, got ${S}`);
  const rng = new Rng(opts.seed ?? 0);
  const { p } = op;
  const vals: number[] = [];
  for (let start = 0; start < S; start += op.block) {
    const B = Math.min(op.block, S - start);
    const V = new Matrix(B, p);
    for (let i = 0; i < V.data.length; i++) V.data[i] = rng.uniform() < 0.5 ? -1 : 1;
    const AV = op.apply(V);
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += V.data[b * p + i] * AV.data[b * p + i];
      vals.push(s);
    }
  }
  const mean = vals.reduce((a, b) => a + b, 0) / S;
  const varr = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1);
  return { trace: mean, stderr: Math.sqrt(varr / S), samples: S };
}
