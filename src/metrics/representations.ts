/**
 * Layer-wise spectra of a dense network (the bottleneck structure of Jacot 2023,
 * shared/papers/jacot-2023-bottleneck-structure.txt): singular values of every weight matrix, and of
 * every layer's pre-activations over a dataset, with their explained-variance ratios.
 * Theorem 6: in a deep L2-regularised network most W_l have k singular values close to 1 and the
 * rest small; Corollary 8: most pre-activations α_l(X) are then approximately k-dimensional.
 */
import { Matrix, svdvals, gemm } from "../linalg";
import { NetSpec, normalizeSpec, weight } from "../nets/spec";
import { forward, checkInputs, checkParams } from "../nets/forward";
import { columnMeans } from "../data/preprocess";

/** Singular values (descending) of W_1 … W_L. */
export function weightSpectra(spec: NetSpec, params: Float64Array): number[][] {
  checkParams("weightSpectra", spec, params);
  const L = normalizeSpec(spec).sizes.length - 1;
  return Array.from({ length: L }, (_, i) => Array.from(svdvals(weight(spec, params, i + 1))));
}

/** The spectrum of one layer's pre-activations over a dataset (an entry of what `representationSpectra` returns). */
export interface LayerSpectrum {
  /** layer index 1..L (L = output) */
  layer: number;
  /** the layer's width M_l */
  width: number;
  /** singular values of the centred pre-activations Z_l (N × M_l), divided by √N, descending */
  singularValues: number[];
  /** cumulative explained-variance ratio of the top 1, 2, … principal components */
  cumulativeVariance: number[];
}

/**
 * Spectra of the pre-activations of layers 1 … L (L = the output) over the rows of X: centred (default;
 * principal components) or, with `{ centred: false }`, uncentred (the second moment, where a constant offset
 * of the representation counts as a direction).
 */
export function representationSpectra(
  spec: NetSpec,
  params: Float64Array,
  X: Matrix,
  opts: { centred?: boolean } = {},
): LayerSpectrum[] {
  checkInputs("representationSpectra", spec, X);
  checkParams("representationSpectra", spec, params);
  const cache = forward(spec, params, X, { derivatives: false });
  const N = X.rows;
  const centred = opts.centred ?? true;
  return cache.slots.map((s) => {
    const Z = cache.Z[s.layer];
    const M = Z.cols;
    const mean = centred ? columnMeans(Z) : new Float64Array(M);
    const C = new Matrix(
      N,
      M,
      Z.data.map((v, i) => v - mean[i % M]),
    );
    const sv = Array.from(svdvals(C), (v) => v / Math.sqrt(N));
    const total = sv.reduce((a, v) => a + v * v, 0);
    let run = 0;
    return {
      layer: s.layer,
      width: M,
      singularValues: sv,
      cumulativeVariance: sv.map((v) => ((run += v * v), total > 0 ? run / total : 0)),
    };
  });
}

/**
 * Singular values (descending, /√N) of W_l applied to the inputs the data give layer l, H_(l−1)·W_lᵀ (uncentred,
 * without the bias), for l = 1 … L: the directions of W_l the data use. A raw singular value of W_l along a
 * direction no input reaches (one weight decay has not yet removed) counts in `weightSpectra` but not here.
 */
export function dataWeightSpectra(spec: NetSpec, params: Float64Array, X: Matrix): number[][] {
  checkInputs("dataWeightSpectra", spec, X);
  checkParams("dataWeightSpectra", spec, params);
  const cache = forward(spec, params, X, { derivatives: false });
  const scale = 1 / Math.sqrt(X.rows);
  return cache.slots.map((s) =>
    Array.from(svdvals(gemm(cache.H[s.layer - 1], weight(spec, params, s.layer), { transB: true })), (v) => v * scale),
  );
}
