/**
 * Local rank of representations (Patel & Shwartz-Ziv 2024): for layer l, the mean over inputs of the
 * ε-rank of the Jacobian of the layer's pre-activations with respect to the input,
 *   LR^ε_l = (1/n) Σ_i #{σ_j(∂z_l/∂x (x_i)) > ε},
 * computed in float64 from the exact input Jacobians (curvature/jacobian.ts).
 */
import { Matrix } from "../linalg";
import { NetSpec, normalizeSpec } from "../nets/spec";
import { inputJacobianSingularValues } from "../curvature/jacobian";
import { checkOptions, int, listOf, num } from "../util/options";

/** The absolute threshold of the local-rank paper's later code. */
export const DEFAULT_LOCAL_RANK_EPS = 0.01;

/** Options of `localRank`. */
export interface LocalRankOptions {
  /** absolute singular-value threshold ε (default 0.01) */
  eps?: number;
  /** layers 1..L (L = output); default every layer */
  layers?: number[];
}

/** The local rank of one layer (an entry of what `localRank` returns). */
export interface LocalRankResult {
  /** layer index 1..L (L = output) */
  layer: number;
  /** the layer's width M_l (the largest rank possible is min(M_l, d)) */
  width: number;
  /** mean ε-rank over the inputs */
  localRank: number;
  /** per-input ε-ranks */
  perInput: number[];
}

function checkEps(eps: number): void {
  if (!(typeof eps === "number" && eps >= 0 && Number.isFinite(eps)))
    throw new Error(`localRank: eps must be a finite number ≥ 0, got ${eps}`);
}

function layersOf(spec: NetSpec, layers?: number[]): number[] {
  const L = normalizeSpec(spec).sizes.length - 1;
  const out = layers ?? Array.from({ length: L }, (_, i) => i + 1);
  for (const l of out)
    if (!Number.isInteger(l) || l < 1 || l > L)
      throw new Error(`localRank: layers must be integers in 1..${L}, got ${l}`);
  return out;
}

/**
 * Local rank of every requested layer (default all, 1..L) at the absolute threshold ε (default 0.01): the mean over
 * the rows of X (N×d) of the ε-rank of ∂z_l/∂x, exact in float64. Throws for a negative or non-finite ε or a layer
 * outside 1..L.
 */
export function localRank(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  opts: LocalRankOptions = {},
): LocalRankResult[] {
  checkOptions("localRank", opts, { eps: num(0), layers: listOf(int(1)) });
  const eps = opts.eps ?? DEFAULT_LOCAL_RANK_EPS;
  checkEps(eps);
  return layersOf(spec, opts.layers).map((layer) => {
    const sv = inputJacobianSingularValues(spec, params, X, layer);
    const perInput = sv.map((s) => s.filter((v) => v > eps).length);
    return {
      layer,
      width: spec.sizes[layer],
      localRank: perInput.reduce((a, b) => a + b, 0) / Math.max(1, perInput.length),
      perInput,
    };
  });
}

/**
 * Local rank for several thresholds at once (the singular values are computed once):
 * result[i][j] is the local rank of layers[j] at epsList[i].
 */
export function localRankSensitivity(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  epsList: number[],
  layers?: number[],
): { eps: number[]; layers: number[]; localRank: number[][] } {
  epsList.forEach(checkEps);
  const ls = layersOf(spec, layers);
  const sv = ls.map((l) => inputJacobianSingularValues(spec, params, X, l));
  return {
    eps: epsList,
    layers: ls,
    localRank: epsList.map((eps) =>
      sv.map(
        (perLayer) => perLayer.reduce((a, s) => a + s.filter((v) => v > eps).length, 0) / Math.max(1, perLayer.length),
      ),
    ),
  };
}
