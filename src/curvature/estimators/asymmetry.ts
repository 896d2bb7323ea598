/**
 * The error of approximate operators, measured: the asymmetry ‖A − Aᵀ‖_F / ‖A‖_F of an operator that should be
 * symmetric. An exact curvature operator is symmetric to rounding (≈ 1e-16); products by finite differences are not
 * (`modelOperator` on a conv net: a fraction of a percent), and every estimate from them carries that error. The
 * estimators attach the measurement to their results (`approximate`), and exact ranks are refused
 * (`operatorRank`).
 */
import { Matrix, gemm } from "../../linalg";
import { Rng } from "../../util/random";
import { checkOptions, int, seed32 } from "../../util/options";
import type { OperatorApproximation, SymmetricOperator } from "../operator-base";
import { applyInBlocks, checkOperator } from "../operator-base";

/** What an estimate from an approximate operator carries: the approximation, its measured asymmetry and a note. */
export interface ApproximationReport extends OperatorApproximation {
  asymmetry: number;
  asymmetryFrom: string;
  /** one line for outputs, e.g. "approximate (central differences): ‖A − Aᵀ‖_F / ‖A‖_F = 0.39 % (8 probes)" */
  note: string;
}

/** ‖A − Aᵀ‖_F / ‖A‖_F of a square matrix (0 for the zero matrix). */
export function matrixAsymmetry(A: Matrix): number {
  if (A.rows !== A.cols) throw new Error(`matrixAsymmetry: the matrix must be square; got ${A.rows}×${A.cols}`);
  const n = A.rows;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = A.data[i * n + j];
      norm += a * a;
      if (j > i) diff += 2 * (a - A.data[j * n + i]) ** 2;
    }
  return norm > 0 ? Math.sqrt(diff / norm) : 0;
}

/**
 * An estimate of ‖A − Aᵀ‖_F / ‖A‖_F of an operator from m Gaussian probes z_1 … z_m (default 8; seed default 0):
 * with G = Z A Zᵀ (m products), E[(G_ij − G_ji)²] = ‖A − Aᵀ‖²_F and E[G_ij²] = ‖A‖²_F for i ≠ j, so the estimate is
 * √(mean (G_ij − G_ji)² / mean G_ij²) over the m(m − 1) off-diagonal pairs. For an approximate operator it is stored
 * in `op.approximate` (unless measured exactly on the dense matrix before). Throws unless 2 ≤ probes ≤ p.
 */
export function operatorAsymmetry(
  op: SymmetricOperator,
  opts: { probes?: number; seed?: number } = {},
): { asymmetry: number; probes: number } {
  checkOperator("operatorAsymmetry", op);
  checkOptions("operatorAsymmetry", opts, { probes: int(2), seed: seed32 });
  const m = opts.probes ?? 8;
  if (m > op.p) throw new Error(`operatorAsymmetry: option probes (${m}) must be ≤ p (${op.p})`);
  const Z = new Matrix(m, op.p, new Rng(opts.seed ?? 0).normals(m * op.p));
  const G = gemm(applyInBlocks(op, Z), Z, { transB: true }).data; // G[i][j] = z_iᵀ A z_j
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      if (i === j) continue;
      norm += G[i * m + j] ** 2;
      if (j > i) diff += 2 * (G[i * m + j] - G[j * m + i]) ** 2;
    }
  const asymmetry = norm > 0 ? Math.sqrt(diff / norm) : 0;
  if (op.approximate && op.approximate.asymmetryFrom !== "dense matrix") {
    op.approximate.asymmetry = asymmetry;
    op.approximate.asymmetryFrom = `${m} probes`;
  }
  return { asymmetry, probes: m };
}

/** A fraction as a percentage with two significant digits (e.g. "0.39 %"). */
function percent(x: number): string {
  return `${Number((100 * x).toPrecision(2))} %`;
}

/**
 * For an approximate operator, its approximation with the measured asymmetry (measured here from probes on first use);
 * undefined for an exact operator. The estimators attach it to their results.
 * @internal
 */
export function approximationReport(op: SymmetricOperator): ApproximationReport | undefined {
  const a = op.approximate;
  if (!a) return undefined;
  if (a.asymmetry === undefined && op.p < 2) {
    a.asymmetry = 0; // a 1×1 operator is symmetric
    a.asymmetryFrom = "1×1";
  }
  if (a.asymmetry === undefined) operatorAsymmetry(op, { probes: Math.min(8, op.p) });
  const asymmetry = a.asymmetry ?? NaN;
  const asymmetryFrom = a.asymmetryFrom ?? "";
  return {
    ...a,
    asymmetry,
    asymmetryFrom,
    note:
      `approximate (${a.method}): measured asymmetry ‖A − Aᵀ‖_F / ‖A‖_F = ${percent(asymmetry)} ` +
      `(${asymmetryFrom}); no exact rank`,
  };
}
