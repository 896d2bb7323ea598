/** Seeded synthetic data generators. */
import { Matrix, gemm, eigh, svdvals } from "../linalg";
import { Rng } from "../util/random";
import { Dataset, DataError, checkCount } from "./dataset";
import { checkOptions, requireOptions, num, oneOf, listOf, either, OptionRule, seed32 } from "../util/options";

/** the type of a count; checkCount tells a non-positive or fractional one */
const count: OptionRule = (v) => (typeof v === "number" ? undefined : "a positive integer");
const matrixRule: OptionRule = (v) => (v instanceof Matrix ? undefined : "a Matrix");
const GAUSSIAN_RULES: Record<string, OptionRule> = {
  n: count,
  dIn: count,
  dOut: count,
  crossCov: either(oneOf(["random"]), matrixRule, listOf(listOf(num()), { minLength: 1 })),
  crossNorm: (v) => (typeof v === "number" && v > 0 && v < 1 ? undefined : "a number in (0, 1)"),
  seed: seed32,
};
const TEACHER_RULES: Record<string, OptionRule> = { n: count, dIn: count, dOut: count, noise: num(0), seed: seed32 };
/** Distributions of the latent z of `latentData`. */
export const LATENT_DISTRIBUTIONS = ["gaussian", "half-gaussian", "uniform"] as const;
/** One of `LATENT_DISTRIBUTIONS`. */
export type LatentDistribution = (typeof LATENT_DISTRIBUTIONS)[number];
const LATENT_RULES: Record<string, OptionRule> = {
  n: count,
  k: count,
  dIn: count,
  dOut: count,
  width: count,
  latent: oneOf(LATENT_DISTRIBUTIONS),
  shift: num(),
  biasScale: num(0),
  seed: seed32,
};

/** Options of `gaussianPairs`; n, dIn and dOut are required. */
export interface GaussianOptions {
  /** samples */
  n: number;
  /** input width */
  dIn: number;
  /** target width */
  dOut: number;
  /**
   * Cross-covariance Σ_yx (dOut×dIn) of the jointly Gaussian (x, y) with Σ_xx = I and Σ_yy = I.
   * "random" (default): a Gaussian matrix rescaled to spectral norm `crossNorm`.
   * Its spectral norm must be < 1 for the joint covariance to be valid.
   */
  crossCov?: Matrix | number[][] | "random";
  /** spectral norm of the random cross-covariance, in (0, 1) (default 0.9) */
  crossNorm?: number;
  /** default 0 */
  seed?: number;
}

/**
 * Isotropic Gaussian inputs and targets with a prescribed cross-covariance:
 * x ~ N(0, I), y = C x + L ε with L Lᵀ = I − C Cᵀ, so Cov(y) = I and Cov(y, x) = C.
 */
export function gaussianPairs(opts: GaussianOptions): Dataset & { crossCov: Matrix } {
  checkOptions("gaussianPairs", opts, GAUSSIAN_RULES);
  requireOptions("gaussianPairs", opts, GAUSSIAN_RULES, ["n", "dIn", "dOut"]);
  const { n, dIn, dOut, seed = 0, crossNorm = 0.9 } = opts;
  checkCount("gaussianPairs", "n", n);
  checkCount("gaussianPairs", "dIn", dIn);
  checkCount("gaussianPairs", "dOut", dOut);
  const rng = new Rng(seed);
  let C: Matrix;
  const given = opts.crossCov ?? "random";
  if (given === "random") {
    if (!(crossNorm > 0 && crossNorm < 1))
      throw new DataError(`gaussianPairs: crossNorm must be in (0, 1), got ${crossNorm}`);
    C = new Matrix(dOut, dIn, rng.fork().normals(dOut * dIn));
    const s = svdvals(C)[0];
    C = new Matrix(
      dOut,
      dIn,
      C.data.map((v) => (v * crossNorm) / s),
    );
  } else {
    C = given instanceof Matrix ? given : Matrix.from(given);
    if (C.rows !== dOut || C.cols !== dIn)
      throw new DataError(`gaussianPairs: crossCov must be ${dOut}×${dIn} (dOut×dIn), got ${C.rows}×${C.cols}`);
    const s = svdvals(C)[0];
    if (!(s < 1))
      throw new DataError(
        `gaussianPairs: crossCov must have spectral norm < 1 (else the joint covariance is not ` +
          `positive definite), got ${s}`,
      );
  }
  // L = (I − C Cᵀ)^{1/2}
  const R = gemm(C, C, { transB: true, alpha: -1 });
  for (let i = 0; i < dOut; i++) R.data[i * dOut + i] += 1;
  const { values, vectors } = eigh(R);
  const L = new Matrix(dOut, dOut);
  for (let i = 0; i < dOut; i++)
    for (let j = 0; j < dOut; j++) {
      let s = 0;
      for (let k = 0; k < dOut; k++) s += vectors.get(i, k) * Math.sqrt(Math.max(0, values[k])) * vectors.get(j, k);
      L.set(i, j, s);
    }
  const X = new Matrix(n, dIn, rng.normals(n * dIn));
  const E = new Matrix(n, dOut, rng.normals(n * dOut));
  const Y = gemm(X, C, { transB: true });
  const LE = gemm(E, L, { transB: true });
  for (let i = 0; i < Y.data.length; i++) Y.data[i] += LE.data[i];
  return {
    name: "gaussian",
    X,
    Y,
    crossCov: C,
    description:
      `Gaussian x ∈ R^${dIn}, y ∈ R^${dOut}, Σ_xx = Σ_yy = I, ‖Σ_yx‖₂ = ` + `${svdvals(C)[0].toFixed(3)}, seed ${seed}`,
  };
}

/** Options of `linearTeacher`; n, dIn and dOut are required. */
export interface TeacherOptions {
  /** samples */
  n: number;
  /** input width */
  dIn: number;
  /** target width */
  dOut: number;
  /** standard deviation of additive Gaussian label noise (default 0) */
  noise?: number;
  /** default 0 */
  seed?: number;
}

/** Linear teacher: x ~ N(0, I), y = T x + noise, T with i.i.d. N(0, 1/dIn) entries. */
export function linearTeacher(opts: TeacherOptions): Dataset & { teacher: Matrix } {
  checkOptions("linearTeacher", opts, TEACHER_RULES);
  requireOptions("linearTeacher", opts, TEACHER_RULES, ["n", "dIn", "dOut"]);
  const { n, dIn, dOut, noise = 0, seed = 0 } = opts;
  checkCount("linearTeacher", "n", n);
  checkCount("linearTeacher", "dIn", dIn);
  checkCount("linearTeacher", "dOut", dOut);
  const rng = new Rng(seed);
  const T = new Matrix(dOut, dIn, rng.normals(dOut * dIn, 1 / Math.sqrt(dIn)));
  const X = new Matrix(n, dIn, rng.normals(n * dIn));
  const Y = gemm(X, T, { transB: true });
  if (noise > 0) for (let i = 0; i < Y.data.length; i++) Y.data[i] += noise * rng.normal();
  return {
    name: "linear-teacher",
    X,
    Y,
    teacher: T,
    description: `linear teacher y = T x (${dIn}→${dOut}), noise ${noise}, seed ${seed}`,
  };
}

/** Options of `latentData`; n, k, dIn and dOut are required. */
export interface LatentOptions {
  /** samples */
  n: number;
  /** latent dimension k */
  k: number;
  /** input width */
  dIn: number;
  /** target width */
  dOut: number;
  /** hidden width of the random shallow ReLU networks g and h (default 100) */
  width?: number;
  /**
   * distribution of z before the shift: "gaussian" N(0, I_k) (default; symmetric about 0), "half-gaussian"
   * |N(0, I_k)| coordinate-wise (one-signed), "uniform" on [0, 1]^k
   */
  latent?: LatentDistribution;
  /** added to every coordinate of z (default 0) */
  shift?: number;
  /** standard deviation of the biases b₁ of g and h (default 0.1) */
  biasScale?: number;
  /** default 0 */
  seed?: number;
}

/** The latent of `latentData` in words, e.g. "z ~ |N(0, I_2)| + 3". */
export function latentText(latent: LatentDistribution, shift: number, k: number): string {
  const base = { gaussian: `N(0, I_${k})`, "half-gaussian": `|N(0, I_${k})|`, uniform: `U[0, 1]^${k}` }[latent];
  return `z ~ ${base}${shift ? ` + ${shift}` : ""}`;
}

/**
 * "Latent k-dim" data: z from `latent` (default N(0, I_k)) plus `shift`, x = g(z), y = h(z) where g, h are
 * random shallow ReLU networks u ↦ A₂ relu(A₁ u + b₁) with N(0, 1/fan_in) weights and N(0, biasScale²)
 * biases. The inputs lie on a k-dimensional manifold. With the default (z symmetric about 0, small biases)
 * g and h are nearly positively homogeneous; a one-signed or shifted latent is not.
 */
export function latentData(opts: LatentOptions): Dataset & { Z: Matrix } {
  checkOptions("latentData", opts, LATENT_RULES);
  requireOptions("latentData", opts, LATENT_RULES, ["n", "k", "dIn", "dOut"]);
  const { n, k, dIn, dOut, width = 100, latent = "gaussian", shift = 0, biasScale = 0.1, seed = 0 } = opts;
  for (const [name, v] of Object.entries({ n, k, dIn, dOut, width })) checkCount("latentData", name, v);
  const rng = new Rng(seed);
  const randomNet = (dOutNet: number) => {
    const A1 = new Matrix(width, k, rng.normals(width * k, 1 / Math.sqrt(k)));
    const b1 = rng.normals(width, biasScale);
    const A2 = new Matrix(dOutNet, width, rng.normals(dOutNet * width, 1 / Math.sqrt(width)));
    return (Z: Matrix) => {
      const Hd = gemm(Z, A1, { transB: true });
      for (let i = 0; i < Hd.data.length; i++) Hd.data[i] = Math.max(0, Hd.data[i] + b1[i % width]);
      return gemm(Hd, A2, { transB: true });
    };
  };
  const g = randomNet(dIn);
  const h = randomNet(dOut);
  // the generators are drawn first, so the same seed gives the same g and h whatever the latent
  const raw = latent === "uniform" ? Float64Array.from({ length: n * k }, () => rng.uniform()) : rng.normals(n * k);
  const Z = new Matrix(
    n,
    k,
    raw.map((v) => (latent === "half-gaussian" ? Math.abs(v) : v) + shift),
  );
  return {
    name: "latent",
    X: g(Z),
    Y: h(Z),
    Z,
    description:
      `latent k = ${k}, ${latentText(latent, shift, k)}: x = g(z) ∈ R^${dIn}, y = h(z) ∈ ` +
      `R^${dOut}, random shallow ReLU nets of width ${width} (bias sd ${biasScale}), seed ${seed}`,
  };
}
