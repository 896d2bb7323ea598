/**
 * Diagonals of symmetric operators: Hutchinson's estimate from Rademacher probes with per-entry standard errors
 * (`hutchinsonDiagonal`). The exact diagonal of the Gauss–Newton matrix of a dense network is a curvature kind
 * (`ggnDiagonal`, `kinds/ggn-diagonal.ts`).
 */
import { Rng } from "../../util/random";
import { checkOptions, int, seed32 } from "../../util/options";
import type { SymmetricOperator } from "../operator-base";
import { applyOperator, checkOperator } from "../operator-base";
import { rademacher } from "./probes";
import type { ApproximationReport } from "./asymmetry";
import { withApproximation } from "./trace";

/**
 * The diagonal of A from `samples` Rademacher probes (default 100; seed default 0) (E[v ⊙ Av] = diag A), with per-entry
 * standard errors.
 */
export function hutchinsonDiagonal(
  op: SymmetricOperator,
  opts: { samples?: number; seed?: number } = {},
): { diagonal: Float64Array; stderr: Float64Array; samples: number; approximate?: ApproximationReport } {
  checkOperator("hutchinsonDiagonal", op);
  checkOptions("hutchinsonDiagonal", opts, { samples: int(2), seed: seed32 });
  const S = opts.samples ?? 100;
  const { p } = op;
  const rng = new Rng(opts.seed ?? 0);
  const sum = new Float64Array(p);
  const sq = new Float64Array(p);
  for (let start = 0; start < S; start += op.block) {
    const B = Math.min(op.block, S - start);
    const V = rademacher(rng, B, p);
    const AV = applyOperator("hutchinsonDiagonal", op, V);
    for (let i = 0; i < V.data.length; i++) {
      const x = V.data[i] * AV.data[i];
      sum[i % p] += x;
      sq[i % p] += x * x;
    }
  }
  const diagonal = sum.map((s) => s / S);
  const stderr = diagonal.map((m, i) => Math.sqrt(Math.max(0, (sq[i] - S * m * m) / (S - 1)) / S));
  return withApproximation(op, { diagonal, stderr, samples: S });
}
