/**
 * Traces of symmetric operators: Hutchinson's estimate with its standard error (`hutchinsonTrace`) and Hutch++
 * (`hutchPlusPlus`, Meyer, Musco, Musco & Woodruff 2021; exact for rank ≤ m/3). Results from an approximate operator
 * carry its measured error (`approximate`).
 */
import { Matrix } from "../../linalg";
import { Rng } from "../../util/random";
import { checkOptions, int, seed32 } from "../../util/options";
import type { SymmetricOperator } from "../operator-base";
import { applyInBlocks, applyOperator, checkOperator } from "../operator-base";
import { rademacher } from "./probes";
import { ApproximationReport, approximationReport } from "./asymmetry";

/**
 * Hutchinson's trace estimate E[vᵀAv] over `samples` Rademacher probes v (default 100, at least 2; seed default 0),
 * with its standard error.
 */
export function hutchinsonTrace(
  op: SymmetricOperator,
  opts: { samples?: number; seed?: number } = {},
): { trace: number; stderr: number; samples: number; approximate?: ApproximationReport } {
  checkOperator("hutchinsonTrace", op);
  checkOptions("hutchinsonTrace", opts, { samples: int(2), seed: seed32 });
  const S = opts.samples ?? 100;
  if (!Number.isInteger(S) || S < 2) throw new Error(`hutchinsonTrace: samples must be an integer ≥ 2, got ${S}`);
  const rng = new Rng(opts.seed ?? 0);
  const { p } = op;
  const vals: number[] = [];
  for (let start = 0; start < S; start += op.block) {
    const B = Math.min(op.block, S - start);
    const V = rademacher(rng, B, p);
    const AV = applyOperator("hutchinsonTrace", op, V);
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += V.data[b * p + i] * AV.data[b * p + i];
      vals.push(s);
    }
  }
  const mean = vals.reduce((a, b) => a + b, 0) / S;
  const varr = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (S - 1);
  return withApproximation(op, { trace: mean, stderr: Math.sqrt(varr / S), samples: S });
}

/**
 * Hutch++ trace estimate with `matvecs` products (default 99, split in thirds; seed default 0): exact when rank A ≤
 * matvecs / 3.
 */
export function hutchPlusPlus(
  op: SymmetricOperator,
  opts: { matvecs?: number; seed?: number } = {},
): { trace: number; matvecs: number; approximate?: ApproximationReport } {
  checkOperator("hutchPlusPlus", op);
  checkOptions("hutchPlusPlus", opts, { matvecs: int(3), seed: seed32 });
  const m = opts.matvecs ?? 99;
  const k = Math.floor(m / 3);
  const { p } = op;
  const rng = new Rng(opts.seed ?? 0);
  const sign = (n: number) => rademacher(rng, n, p);
  // Q: orthonormal basis (rows) of the range of A S, by Gram–Schmidt twice (dependent rows dropped)
  const AS = applyInBlocks(op, sign(k));
  const basis: Float64Array[] = [];
  for (let r = 0; r < k; r++) {
    const v = AS.data.slice(r * p, (r + 1) * p);
    let before = 0;
    for (let i = 0; i < p; i++) before += v[i] * v[i];
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += v[i] * q[i];
        for (let i = 0; i < p; i++) v[i] -= dot * q[i];
      }
    let n = 0;
    for (let i = 0; i < p; i++) n += v[i] * v[i];
    if (n > 1e-24 * Math.max(before, 1e-300)) basis.push(v.map((x) => x / Math.sqrt(n)));
  }
  const Q = new Matrix(basis.length, p);
  basis.forEach((q, r) => Q.data.set(q, r * p));
  let trace = 0;
  if (basis.length) {
    const AQ = applyInBlocks(op, Q);
    for (let i = 0; i < Q.data.length; i++) trace += Q.data[i] * AQ.data[i];
  }
  // the rest: Hutchinson on (I − QQᵀ) A (I − QQᵀ)
  const nG = m - 2 * k;
  if (nG > 0) {
    const G = sign(nG);
    for (let r = 0; r < nG; r++) {
      const g = G.data.subarray(r * p, (r + 1) * p);
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += g[i] * q[i];
        for (let i = 0; i < p; i++) g[i] -= dot * q[i];
      }
    }
    const AG = applyInBlocks(op, G);
    let s = 0;
    for (let i = 0; i < G.data.length; i++) s += G.data[i] * AG.data[i];
    trace += s / nG;
  }
  return withApproximation(op, { trace, matvecs: m });
}

/**
 * `result` with the operator's approximation report attached when it is approximate.
 * @internal
 */
export function withApproximation<T extends object>(
  op: SymmetricOperator,
  result: T,
): T & { approximate?: ApproximationReport } {
  const approximate = approximationReport(op);
  return approximate ? { ...result, approximate } : result;
}
