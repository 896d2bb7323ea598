/** Pre-processing the studies need: scale, centre, greyscale, area and nearest-neighbour downscaling, PCA. */
import { Matrix, svd, gemm } from "../linalg";
import { Dataset, DataError } from "./dataset";
import { checkOptions, bool } from "../util/options";

/**
 * A copy of the dataset with every input multiplied by `factor` (targets unchanged). Throws a `DataError` for a
 * non-finite factor.
 */
export function scale(ds: Dataset, factor: number): Dataset {
  if (!Number.isFinite(factor)) throw new DataError(`scale: factor must be finite, got ${factor}`);
  return {
    ...ds,
    X: new Matrix(
      ds.X.rows,
      ds.X.cols,
      ds.X.data.map((v) => v * factor),
    ),
    description: `${ds.description}; scaled by ${factor}`,
  };
}

/** Column means of X. */
export function columnMeans(X: Matrix): Float64Array {
  const mu = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) mu[j] += X.data[i * X.cols + j];
  return mu.map((v) => v / Math.max(1, X.rows));
}

/** Subtracts the mean of each input feature (over the samples of this set). */
export function centre(ds: Dataset): Dataset {
  const mu = columnMeans(ds.X);
  const X = new Matrix(
    ds.X.rows,
    ds.X.cols,
    ds.X.data.map((v, i) => v - mu[i % ds.X.cols]),
  );
  return { ...ds, X, description: `${ds.description}; centred` };
}

/** The shapes of an image resize, validated: input h×w×c, output H×W×cOut (cOut = 1 when grey). */
function resizeShapes(op: string, ds: Dataset, size: [number, number], opts: { grey?: boolean }) {
  if (!ds.imageShape) throw new DataError(`${op}: ${ds.name} rows are not images (no imageShape)`);
  const [h, w, c] = ds.imageShape;
  const [H, W] = size;
  if (!(Number.isInteger(H) && Number.isInteger(W) && H >= 1 && W >= 1 && H <= h && W <= w)) {
    throw new DataError(`${op}: target size must be integers in 1..${h}×1..${w}, got ${H}×${W}`);
  }
  const grey = opts.grey ?? c === 1;
  return { h, w, c, H, W, grey, cOut: grey ? 1 : c };
}

/** Per output index along one axis: the input indices it reads and their weights (Σ weight = 1). */
type Taps = [number, number][][];

/**
 * Resizes images separably: output pixel (oy, ox) = Σ ay·ax · pixel(iy, ix) over the taps of oy and ox.
 * Channels are averaged into grey first when `grey` (0.299R + 0.587G + 0.114B for three channels).
 */
function resample(
  op: string,
  ds: Dataset,
  size: [number, number],
  opts: { grey?: boolean },
  taps: (n: number, N: number) => Taps,
  how: string,
): Dataset {
  checkOptions(op, opts, { grey: bool });
  const { h, w, c, H, W, grey, cOut } = resizeShapes(op, ds, size, opts);
  const wy = taps(h, H);
  const wx = taps(w, W);
  const X = new Matrix(ds.X.rows, H * W * cOut);
  for (let r = 0; r < ds.X.rows; r++) {
    const src = ds.X.data.subarray(r * h * w * c, (r + 1) * h * w * c);
    const dst = r * H * W * cOut;
    for (let oy = 0; oy < H; oy++)
      for (let ox = 0; ox < W; ox++)
        for (let ch = 0; ch < cOut; ch++) {
          let s = 0;
          for (const [iy, ay] of wy[oy])
            for (const [ix, ax] of wx[ox]) {
              const base = (iy * w + ix) * c;
              const v =
                grey && c > 1
                  ? c === 3
                    ? 0.299 * src[base] + 0.587 * src[base + 1] + 0.114 * src[base + 2]
                    : avg(src, base, c)
                  : src[base + ch];
              s += ay * ax * v;
            }
          X.data[dst + (oy * W + ox) * cOut + ch] = s;
        }
  }
  return {
    ...ds,
    X,
    imageShape: [H, W, cOut],
    description: `${ds.description}; ${how} to ${H}×${W}${grey && c > 1 ? " grey" : ""}`,
  };
}

function avg(a: Float64Array, base: number, c: number): number {
  let s = 0;
  for (let i = 0; i < c; i++) s += a[base + i];
  return s / c;
}

/**
 * Area taps (OpenCV's INTER_AREA): each output index averages the input interval it covers, fractional at the borders.
 */
function areaTaps(n: number, N: number): Taps {
  const out: Taps = [];
  const step = n / N;
  for (let o = 0; o < N; o++) {
    const a = o * step;
    const b = (o + 1) * step;
    const list: [number, number][] = [];
    for (let i = Math.floor(a); i < Math.ceil(b); i++) {
      const wgt = Math.min(b, i + 1) - Math.max(a, i);
      if (wgt > 1e-12) list.push([i, wgt / step]);
    }
    out.push(list);
  }
  return out;
}

/**
 * Area-weighted resize of images (as OpenCV's INTER_AREA): each output pixel is the average of the
 * input region it covers, with fractional weights at the borders. 32×32 → 8×8 is exact 4×4 average
 * pooling; 28×28 → 8×8 averages 3.5×3.5 regions. Channels are averaged into grey first when `grey`.
 */
export function downscale(ds: Dataset, size: [number, number], opts: { grey?: boolean } = {}): Dataset {
  return resample("downscale", ds, size, opts, areaTaps, "area-downscaled");
}

/**
 * Source indices of nearest-neighbour resizing as torch's `F.interpolate(mode="nearest")` with an
 * output size: source = min(floor(dst · inSize / outSize), inSize − 1). 28 → 8 gives 0, 3, 7, 10, 14, 17, 21, 24.
 */
export function nearestIndices(inSize: number, outSize: number): number[] {
  if (!(Number.isInteger(inSize) && Number.isInteger(outSize) && inSize >= 1 && outSize >= 1))
    throw new DataError(`nearestIndices: sizes must be integers ≥ 1, got ${inSize} → ${outSize}`);
  return Array.from({ length: outSize }, (_, o) => Math.min(Math.floor((o * inSize) / outSize), inSize - 1));
}

/**
 * Nearest-neighbour resize of images (torch's `F.interpolate(mode="nearest")`, the authors' choice in
 * Singh et al.): each output pixel copies one input pixel (one tap of weight 1: the value exactly), no
 * averaging. Channels are averaged into grey first when `grey` (0.299R + 0.587G + 0.114B for three channels).
 */
export function downscaleNearest(ds: Dataset, size: [number, number], opts: { grey?: boolean } = {}): Dataset {
  return resample(
    "downscaleNearest",
    ds,
    size,
    opts,
    (n, N) => nearestIndices(n, N).map((i) => [[i, 1]]),
    "nearest-neighbour-downscaled",
  );
}

/** Downscales to d = side² inputs (e.g. 64 = 8×8), grey. */
export function downscaleTo(ds: Dataset, d: number): Dataset {
  const side = Math.round(Math.sqrt(d));
  if (side * side !== d) throw new DataError(`downscaleTo: d must be a perfect square (8×8 = 64, …), got ${d}`);
  return downscale(ds, [side, side], { grey: true });
}

/** A fitted PCA (returned by `pcaFit`, applied by `pcaTransform`). */
export interface Pca {
  /** k×d, orthonormal rows: the principal directions */
  components: Matrix;
  /** the column means of the fitted X (length d), subtracted before projecting */
  mean: Float64Array;
  /** variance along each component (σ²/(N−1)) */
  explainedVariance: Float64Array;
  /** fraction of the total variance per component */
  explainedVarianceRatio: Float64Array;
}

/** PCA of the rows of X (centred) through the thin SVD. */
export function pcaFit(X: Matrix, k: number): Pca {
  if (!Number.isInteger(k) || k < 1 || k > Math.min(X.rows, X.cols)) {
    throw new DataError(
      `pca: k must be an integer in 1..${Math.min(X.rows, X.cols)} (min of samples and features), got ${k}`,
    );
  }
  const mean = columnMeans(X);
  const C = new Matrix(
    X.rows,
    X.cols,
    X.data.map((v, i) => v - mean[i % X.cols]),
  );
  const { S, V } = svd(C);
  const denom = Math.max(1, X.rows - 1);
  const total = S.reduce((s, v) => s + v * v, 0) / denom;
  const components = new Matrix(k, X.cols);
  for (let j = 0; j < k; j++) for (let i = 0; i < X.cols; i++) components.data[j * X.cols + i] = V.get(i, j);
  const explainedVariance = S.slice(0, k).map((v) => (v * v) / denom);
  return {
    components,
    mean,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
  };
}

/** Projects rows of X onto fitted components (after subtracting the fitted mean). */
export function pcaTransform(p: Pca, X: Matrix): Matrix {
  const C = new Matrix(
    X.rows,
    X.cols,
    X.data.map((v, i) => v - p.mean[i % X.cols]),
  );
  return gemm(C, p.components, { transB: true });
}

/** Reduces a dataset's inputs to k principal components (fitted on this set). */
export function pca(ds: Dataset, k: number): Dataset {
  const p = pcaFit(ds.X, k);
  return {
    ...ds,
    X: pcaTransform(p, ds.X),
    imageShape: undefined,
    description:
      `${ds.description}; PCA to ${k} dims ` +
      `(${(100 * p.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toFixed(1)} % variance)`,
  };
}
