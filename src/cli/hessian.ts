/**
 * `rankscope hessian`: the exact Hessian of one network on one dataset, its split, ranks and
 * timings as JSON, and optionally the problem in the format torch_reference.py `check` reads.
 */
import { Matrix, eigvalsh, rank } from "../linalg";
import * as nets from "../nets";
import * as cv from "../curvature";
import { loadMnist, loadFashionMnist, downscaleTo, downscaleNearest, Dataset } from "../data";
import { Rng } from "../util/random";
import { writeFileAtomic, outputPlaceProblem } from "../util/files";
import { Flags, FlagSpec, intList, int, choice, UsageError } from "./args";
import { envMemoryBytes } from "../util/env";

export const HESSIAN_FLAGS: FlagSpec = {
  sizes: "string",
  n: "string",
  act: "string",
  bias: "boolean",
  loss: "string",
  data: "string",
  seed: "string",
  init: "string",
  downscale: "string",
  json: "boolean",
  "export-problem": "string",
  "closed-form": "boolean",
  help: "boolean",
};

export const HESSIAN_HELP = `usage: rankscope hessian [options]
  --sizes d,M1,…,K      layer widths (default 64,30,20,10)
  --n N                 samples (default 1000)
  --act NAME            ${nets.ACTIVATIONS.join(" | ")} (default tanh)
  --bias                biases in every layer
  --loss NAME           ${nets.LOSSES.join(" | ")} (default mse)
  --data NAME           gaussian | mnist | fashion (default gaussian)
  --downscale NAME      images to d pixels: nearest (default, the authors' pipeline and the hessian-rank study's;
                        d must be a square) | area (averaging)
  --seed S, --init NAME (${nets.INITS.join(" | ")})
  --closed-form         the linear-network closed form (linear, no bias, mse)
  --json                one JSON line instead of text
  --export-problem FILE write the problem for torch_reference.py check (no Hessian computed)
Work and memory are checked before anything is allocated (memory limit: RANKSCOPE_MEMORY_GIB, default half the
machine's memory; work: runs estimated at over 4 h of computation are refused). An export must be a problem whose
Hessian fits the same limit (the reference check builds it) and a file that fits the free space.`;

/** The memory a run may plan for, in bytes: RANKSCOPE_MEMORY_GIB, else half the machine's memory. */
export function memoryLimitBytes(): number {
  return envMemoryBytes() ?? require("node:os").totalmem() / 2;
}

/**
 * Estimated compute seconds of the exact Hessian: about N·p² elementary steps of 1e-8 s or more (measured here with
 * 1–2 busy cores: 16–22 ns per step, for sizes 10,5,1 at N = 10⁶, 10,50,1 at 2·10⁴ and 10,5,5,5,2 at 10⁵), so this is
 * a lower bound on this kind of machine.
 */
export function hessianSecondsEstimate(p: number, n: number): number {
  return 1e-8 * n * p * p;
}

/** The longest exact-Hessian run `hessian` accepts, by `hessianSecondsEstimate` (4 hours). */
export const MAX_HESSIAN_SECONDS = 4 * 3600;

/**
 * Refuses, before allocating, a problem whose data, Hessian blocks, work or export would not fit. Memory counts the
 * inputs and targets, the per-sample forward and curvature caches (8·N·(d + K + 2·ΣM + 4p) bytes, a lower bound of the
 * peaks measured here), three dense p×p matrices (H, H_o, H_f) and their eigenvalue workspace; work is
 * `hessianSecondsEstimate`. An export must also be a problem whose Hessian torch_reference.py `check` can build (the
 * same memory test), and its JSON text (about 24 bytes a number) must fit the limit and the free space where it goes.
 */
export function checkResources(o: HessianCliOptions, what: "hessian" | "export", file?: string): void {
  if (what === "export" && !["linear", "relu", "tanh", "sigmoid"].includes(o.act))
    throw new UsageError(
      `--export-problem: torch_reference.py supports --act linear, relu, tanh, sigmoid; got ${o.act}`,
    );
  if (what === "export" && o.loss === "logcosh")
    throw new UsageError("--export-problem: torch_reference.py supports --loss mse and ce; got logcosh");
  const limit = memoryLimitBytes();
  const d = o.sizes[0];
  const K = o.sizes[o.sizes.length - 1];
  const hidden = o.sizes.slice(1, -1).reduce((a, b) => a + b, 0);
  const p = nets.paramCount({ sizes: o.sizes, activation: o.act, bias: o.bias });
  const perSample = 8 * (d + K + 2 * hidden + 4 * p);
  const hessianBytes = o.n * perSample + 8 * 4 * p * p;
  const exportBytes = 24 * (p + o.n * (d + K));
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  const label = what === "hessian" ? "hessian" : "--export-problem";
  const shape = `p = ${p} parameters, N = ${o.n} samples of width ${d}`;
  const need = what === "hessian" ? hessianBytes : Math.max(hessianBytes, exportBytes);
  if (need > limit) {
    throw new UsageError(
      `${label}: this problem needs about ${gib(need)} GiB ` +
        `(${shape}${what === "export" ? "; the reference check builds its p×p Hessian" : ""}), over the limit ` +
        `of ${gib(limit)} GiB; use smaller --sizes or --n (or raise RANKSCOPE_MEMORY_GIB)`,
    );
  }
  const secs = hessianSecondsEstimate(p, o.n);
  if (what === "hessian" && secs > MAX_HESSIAN_SECONDS)
    throw new UsageError(
      `hessian: this problem needs at least ${(secs / 3600).toFixed(1)} h of computation (${shape}: about N·p² = ` +
        `${(o.n * p * p).toExponential(1)} steps), over the limit of ${MAX_HESSIAN_SECONDS / 3600} h; use smaller ` +
        `--sizes or --n`,
    );
  if (what === "export" && file) {
    const where = outputPlaceProblem(file);
    if (where) throw new UsageError(`--export-problem cannot be written: ${where}`);
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    let dir = path.dirname(path.resolve(file));
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    try {
      const st = fs.statfsSync(dir);
      const free = st.bavail * st.bsize;
      if (exportBytes > free)
        throw new UsageError(
          `--export-problem: the file would take about ${gib(exportBytes)} GiB and ${dir} has ${gib(free)} GiB ` +
            `free; use smaller --sizes or --n, or write it elsewhere`,
        );
    } catch (err) {
      if (err instanceof UsageError) throw err; // no statfs (another platform): the write reports a full disk
    }
  }
}

export interface HessianCliOptions {
  sizes: number[];
  n: number;
  act: nets.Activation;
  bias: boolean;
  loss: nets.LossName;
  data: "gaussian" | "mnist" | "fashion";
  seed: number;
  init: nets.Init;
  /** images to d pixels: "nearest" (the authors' and the study's default) or "area" */
  downscale: "nearest" | "area";
  closedForm: boolean;
}

export function hessianOptionsFromFlags(flags: Flags): HessianCliOptions {
  const o: HessianCliOptions = {
    sizes: intList(flags, "sizes", [64, 30, 20, 10], 1_000_000),
    n: int(flags, "n", 1000, 1, 100_000_000),
    act: choice(flags, "act", nets.ACTIVATIONS, "tanh"),
    bias: flags.bias === true,
    loss: choice(flags, "loss", nets.LOSSES, "mse"),
    data: choice(flags, "data", ["gaussian", "mnist", "fashion"] as const, "gaussian"),
    seed: int(flags, "seed", 0, 0, 2 ** 32 - 2), // the data use seed + 1; seeds are 32-bit
    init: choice(flags, "init", nets.INITS, "glorot-normal"),
    downscale: choice(flags, "downscale", ["nearest", "area"] as const, "nearest"),
    closedForm: flags["closed-form"] === true,
  };
  if (o.sizes.length < 2)
    throw new UsageError(`--sizes needs at least two widths (input and output); got "${flags.sizes}"`);
  if (o.loss === "ce" && o.sizes[o.sizes.length - 1] < 2)
    throw new UsageError(
      `--loss ce (softmax cross-entropy) needs at least 2 outputs (the last of --sizes); got ${o.sizes.at(-1)}`,
    );
  if (o.data !== "gaussian" && o.downscale === "nearest" && Math.round(Math.sqrt(o.sizes[0])) ** 2 !== o.sizes[0])
    throw new UsageError(
      `--downscale nearest needs a square input size (8×8 = 64, …), got d = ${o.sizes[0]} (or use --downscale area)`,
    );
  if (o.data !== "gaussian" && o.sizes[o.sizes.length - 1] !== 10)
    throw new UsageError(`--data ${o.data} has 10 classes: the last of --sizes must be 10, got ${o.sizes.at(-1)}`);
  if (o.closedForm && (o.bias || o.loss !== "mse" || o.act !== "linear"))
    throw new UsageError(
      "--closed-form is the linear-network closed form: it needs --act linear, --loss mse, no --bias",
    );
  return o;
}

/** The network, data and parameters the command analyses (seeded). */
export function buildHessianProblem(o: HessianCliOptions): { problem: cv.Problem; description: string } {
  const spec: nets.NetSpec = { sizes: o.sizes, activation: o.act, bias: o.bias };
  nets.normalizeSpec(spec);
  if (o.n < 1) throw new UsageError(`--n must be ≥ 1, got ${o.n}`);
  const d = o.sizes[0];
  const K = o.sizes[o.sizes.length - 1];
  let X: Matrix;
  let Y: Matrix;
  let description: string;
  if (o.data === "gaussian") {
    const rng = new Rng(o.seed + 1);
    X = new Matrix(o.n, d, rng.normals(o.n * d));
    if (o.loss === "ce") {
      Y = new Matrix(o.n, K);
      for (let i = 0; i < o.n; i++) Y.set(i, rng.int(K), 1);
    } else Y = new Matrix(o.n, K, rng.normals(o.n * K));
    description =
      `Gaussian inputs N(0, I_${d}), ${o.loss === "ce" ? "random one-hot" : "Gaussian"} ` + `targets, N = ${o.n}`;
  } else {
    if (K !== 10) throw new UsageError(`--data ${o.data} has 10 classes: the last of --sizes must be 10, got ${K}`);
    const base: Dataset =
      o.data === "mnist" ? loadMnist({ n: o.n, seed: o.seed }) : loadFashionMnist({ n: o.n, seed: o.seed });
    const side = Math.round(Math.sqrt(d));
    const ds =
      d === 784 ? base : o.downscale === "nearest" ? downscaleNearest(base, [side, side]) : downscaleTo(base, d);
    X = ds.X;
    Y = ds.Y;
    description = ds.description;
  }
  const params = nets.initParams(spec, { init: o.init, seed: o.seed });
  return { problem: { spec, params, X, Y, loss: o.loss }, description };
}

export interface HessianReport {
  sizes: number[];
  act: string;
  bias: boolean;
  loss: string;
  data: string;
  N: number;
  p: number;
  linalg: string;
  path: "general" | "linear-closed-form";
  loss_value: number;
  rank_H: number;
  rank_Ho: number;
  rank_Hf: number;
  formula?: cv.RankFormulas;
  hessian_s: number;
  eigenvalues_s: number;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export function runHessian(o: HessianCliOptions, log: (s: string) => void = () => {}): HessianReport {
  const { problem, description } = buildHessianProblem(o);
  const p = nets.paramCount(problem.spec);
  log(`p = ${p}; data: ${description}`);
  const t0 = process.hrtime.bigint();
  const res = o.closedForm ? cv.linearHessianClosedForm(problem) : cv.hessian(problem);
  const hessian_s = seconds(t0);
  const t1 = process.hrtime.bigint();
  const evH = eigvalsh(res.H!);
  const eigenvalues_s = seconds(t1);
  const rank_Ho = cv.spectrumOf(res.Ho!).rank;
  const rank_Hf = cv.spectrumOf(res.Hf!).rank;
  const linear = nets.normalizeSpec(problem.spec).activation.every((a) => a === "linear");
  let formula: cv.RankFormulas | undefined;
  if (linear) {
    const r = rank(problem.X);
    const s = rank(cv.linearStatistics(problem).omega);
    formula = cv.linearRankFormulas({
      sizes: o.sizes,
      r,
      s: o.loss === "mse" ? s : undefined,
      bias: o.bias,
      loss: o.loss,
    });
  }
  return {
    sizes: o.sizes,
    act: o.act,
    bias: o.bias,
    loss: o.loss,
    data: description,
    N: problem.X.rows,
    p,
    linalg: require("../linalg").backend(),
    path: o.closedForm ? "linear-closed-form" : "general",
    loss_value: res.loss,
    rank_H: cv.summarizeSpectrum(evH).rank,
    rank_Ho,
    rank_Hf,
    formula,
    hessian_s,
    eigenvalues_s,
  };
}

/** Writes the problem as torch_reference.py `check` reads it. */
export function exportProblem(problem: cv.Problem, file: string): void {
  const spec = nets.normalizeSpec(problem.spec);
  const acts = new Set(spec.activation);
  if (acts.size > 1)
    throw new UsageError("--export-problem: torch_reference.py takes one activation for all hidden layers");
  const act = spec.activation[0] ?? "linear";
  if (!["linear", "relu", "tanh", "sigmoid"].includes(act))
    throw new UsageError(`--export-problem: torch_reference.py supports --act linear, relu, tanh, sigmoid; got ${act}`);
  if (problem.loss === "logcosh")
    throw new UsageError("--export-problem: torch_reference.py supports --loss mse and ce; got logcosh");
  const slots = nets.layout(spec);
  const weights = slots.map((s) => nets.weight(spec, problem.params, s.layer).toArray());
  const biases = spec.bias
    ? slots.map((s) => Array.from(problem.params.subarray(s.bOffset, s.bOffset + s.rows)))
    : undefined;
  const json = {
    sizes: spec.sizes,
    act,
    bias: spec.bias,
    loss: problem.loss ?? "mse",
    weights,
    ...(biases ? { biases } : {}),
    X: problem.X.toArray(),
    Y: problem.Y.toArray(),
  };
  writeFileAtomic(file, JSON.stringify(json));
}
