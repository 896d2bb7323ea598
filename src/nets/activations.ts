/** Element-wise activations with exact first and second derivatives (float64). */

/** The names of the hidden-layer activations a `NetSpec` accepts. */
export const ACTIVATIONS = ["linear", "relu", "leaky-relu", "tanh", "sigmoid", "gelu"] as const;
/**
 * A hidden-layer activation: "linear", "relu", "leaky-relu" (slope `LEAKY_SLOPE` below 0), "tanh", "sigmoid" or "gelu"
 * (exact x·Φ(x)).
 */
export type Activation = (typeof ACTIVATIONS)[number];

/** Slope of leaky-relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

const SQRT_PI = Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf to full double precision: for |x| < 3 the all-positive series
 * erf x = (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)); beyond, erfc by its continued fraction.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const v = (2 / SQRT_PI) * Math.exp(-x2) * sum;
    return x < 0 ? -v : v;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) evaluated by modified Lentz
  const tiny = 1e-300;
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    D = ax + a * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = ax + a / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (SQRT_PI * f);
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/** An activation σ with its exact first and second derivatives, as scalar functions. */
export interface ActivationFns {
  /** σ(x) */
  f(x: number): number;
  /** σ′(x); at x = 0, relu gives 0 and leaky-relu `LEAKY_SLOPE` (the left derivative) */
  d1(x: number): number;
  /** σ″(x) (0 for linear, relu and leaky-relu) */
  d2(x: number): number;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** σ, σ′ and σ″ of every `Activation`, in float64 (the functions the forward pass and the curvature code use). */
export const activationFns: Record<Activation, ActivationFns> = {
  linear: { f: (x) => x, d1: () => 1, d2: () => 0 },
  relu: { f: (x) => (x > 0 ? x : 0), d1: (x) => (x > 0 ? 1 : 0), d2: () => 0 },
  "leaky-relu": { f: (x) => (x > 0 ? x : LEAKY_SLOPE * x), d1: (x) => (x > 0 ? 1 : LEAKY_SLOPE), d2: () => 0 },
  tanh: {
    f: Math.tanh,
    d1: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    d2: (x) => {
      const t = Math.tanh(x);
      return -2 * t * (1 - t * t);
    },
  },
  sigmoid: {
    f: sigmoid,
    d1: (x) => {
      const s = sigmoid(x);
      return s * (1 - s);
    },
    d2: (x) => {
      const s = sigmoid(x);
      return s * (1 - s) * (1 - 2 * s);
    },
  },
  // exact GELU x·Φ(x)
  gelu: {
    f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    d1: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
    d2: (x) => INV_SQRT_2PI * Math.exp(-0.5 * x * x) * (2 - x * x),
  },
};
