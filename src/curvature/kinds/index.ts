/**
 * The curvature kinds of the float64 engine, one module each, by name. A new kind is one module defining its
 * per-batch product (`CurvatureKindModule`) and one line here; the operator base (`operator-base.ts`) gives it
 * batching, the 1/N scaling and the estimators.
 */
import { Matrix } from "../../linalg";
import type { CurvatureKindModule, DenseCurvatureKind } from "../operator-base";
import type { Prepared } from "../problem";
import { showValue } from "../../util/options";
import { hessianKind } from "./hessian";
import { ggnKind } from "./ggn";
import { functionalKind } from "./functional";
import { ggnDiagonalKind } from "./ggn-diagonal";

export { hessianKind } from "./hessian";
export { ggnKind } from "./ggn";
export { functionalKind } from "./functional";
export { ggnDiagonalKind, ggnDiagonal, ggnDiagonalOf } from "./ggn-diagonal";

/** The kinds that also build their dense p×p matrix, and whose products `hessianVectorProducts` gives. */
const DENSE_KINDS = { hessian: hessianKind, ggn: ggnKind } satisfies Record<string, DenseCurvatureKind>;

/**
 * The names of the dense kinds, "hessian" and "ggn" (for option checks).
 * @internal
 */
export const CURVATURE_KIND_NAMES = Object.keys(DENSE_KINDS) as CurvatureKind[];

/**
 * The curvature kinds by name: "hessian" H, "ggn" H_o, "functional" H_f = H − H_o, "ggn-diagonal" diag(H_o).
 * @internal
 */
export const CURVATURE_KINDS = {
  ...DENSE_KINDS,
  functional: functionalKind,
  "ggn-diagonal": ggnDiagonalKind,
} satisfies Record<string, CurvatureKindModule>;

/**
 * Which curvature matrix a product uses: "hessian" (H = ∇²_θ L) or "ggn" (the Gauss–Newton / outer-product part H_o).
 */
export type CurvatureKind = keyof typeof DENSE_KINDS;

/**
 * The kinds of `curvatureOperator`: "hessian" H, "ggn" H_o, "functional" H_f = H − H_o (two products per block), or
 * "ggn-diagonal" (the exact diagonal of H_o, as a diagonal operator).
 */
export type OperatorKind = keyof typeof CURVATURE_KINDS;

/** The names of the kinds, in a message's "a", "b" or "c" form. */
function listed(names: readonly string[]): string {
  const q = names.map((n) => JSON.stringify(n));
  return q.length > 1 ? `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}` : q[0];
}

/**
 * The module of an operator kind; throws, naming `fn` and the allowed kinds, for an unknown one.
 * @internal
 */
export function operatorKind(fn: string, kind: unknown): CurvatureKindModule {
  if (typeof kind === "string" && Object.hasOwn(CURVATURE_KINDS, kind)) return CURVATURE_KINDS[kind as OperatorKind];
  throw new Error(`${fn}: kind must be ${listed(Object.keys(CURVATURE_KINDS))}; got ${showValue(kind)}`);
}

/**
 * The module of a dense kind ("hessian" or "ggn"); throws, naming `fn`, for another.
 * @internal
 */
export function denseKind(fn: string, kind: unknown): DenseCurvatureKind {
  if (typeof kind === "string" && Object.hasOwn(DENSE_KINDS, kind)) return DENSE_KINDS[kind as CurvatureKind];
  throw new Error(`${fn}: kind must be ${listed(Object.keys(DENSE_KINDS))}; got ${showValue(kind)}`);
}

/**
 * Rows of V·C (B×p) for the directions V (B×p, one per row), C = H or H_o of a prepared problem, by the batched
 * R-operator; throws for another kind and when V does not have p columns.
 * @internal
 */
export function curvatureProducts(prep: Prepared, V: Matrix, kind: CurvatureKind = "hessian"): Matrix {
  return denseKind("curvatureProducts", kind).product(prep, V);
}

/**
 * The dense p×p matrix H (kind "hessian") or H_o (kind "ggn") of a prepared problem by the layer-block formulas;
 * `onProgress` receives the fraction done.
 * @internal
 */
export function denseCurvature(prep: Prepared, kind: CurvatureKind, onProgress?: (fraction: number) => void): Matrix {
  return denseKind("denseCurvature", kind).dense(prep, onProgress);
}
