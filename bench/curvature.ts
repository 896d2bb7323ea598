/**
 * Benchmark: one Hessian-vector product (the unit cost of Lanczos, SLQ, Hutchinson) on the full batch,
 * rankscope's float64 engine (`curvatureOperator(problem).apply`, one vector and a block of 16) beside
 * PyTorch's double backward (torch_reference.py hvp: same sizes, N, activation, float64, 1 thread) in
 * the same invocation; then an SLQ spectral density on a large net, timed.
 *   node dist/bench/curvature.js [--json] [--reps 20] [--density-sizes 784,500,500,500,2] [--density-n 100]
 */
import { parseArgs } from "node:util";
import { setThreads, backend, Matrix } from "../src/linalg";
import * as nets from "../src/nets";
import { curvatureOperator, spectralDensity } from "../src/curvature";
import { Rng } from "../src/util/random";
import { runReference } from "./reference";

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: {
    json: { type: "boolean" },
    reps: { type: "string" },
    "density-sizes": { type: "string" },
    "density-n": { type: "string" },
    "density-steps": { type: "string" },
    "density-probes": { type: "string" },
  },
});
const asJson = flags.json === true;
const reps = Number(flags.reps ?? 50);
if (!Number.isInteger(reps) || reps < 2) throw new Error(`--reps must be an integer ≥ 2, got ${flags.reps}`);
const log = (s: string) => {
  if (!asJson) console.log(s);
};

interface Case {
  sizes: number[];
  N: number;
  act: nets.Activation;
}
const CASES: Case[] = [
  { sizes: [784, 100, 100, 10], N: 1000, act: "tanh" },
  { sizes: [64, 30, 20, 10], N: 1000, act: "tanh" },
];

function problemOf(c: Case) {
  const spec: nets.NetSpec = { sizes: c.sizes, activation: c.act, bias: false };
  const rng = new Rng(0);
  const X = new Matrix(c.N, c.sizes[0], rng.normals(c.N * c.sizes[0]));
  const Y = new Matrix(c.N, c.sizes[c.sizes.length - 1], rng.normals(c.N * c.sizes[c.sizes.length - 1]));
  return { spec, params: nets.initParams(spec, { seed: 0 }), X, Y, loss: "mse" as const };
}

/**
 * ms per call after `warm` untimed calls (V8 optimises the products' loops only after several calls: the first takes
 * ~3× longer)
 */
function msPer(f: () => void, n: number, warm = 20): number {
  for (let i = 0; i < warm; i++) f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}

function main() {
  setThreads(1);
  const rows: Record<string, unknown>[] = [];
  log(`rankscope ${backend()} (1 BLAS thread) vs PyTorch double backward (1 thread), float64, full batch`);
  for (const c of CASES) {
    const problem = problemOf(c);
    const op = curvatureOperator(problem);
    const rng = new Rng(1);
    const v1 = new Matrix(1, op.p, rng.normals(op.p));
    const v16 = new Matrix(16, op.p, rng.normals(16 * op.p));
    const one = msPer(() => op.apply(v1), reps);
    const block = msPer(() => op.apply(v16), Math.max(2, Math.round(reps / 4)), 3) / 16;
    const ref = runReference([
      "hvp",
      "--sizes",
      c.sizes.join(","),
      "--N",
      String(c.N),
      "--act",
      c.act,
      "--reps",
      String(reps),
      "--dtype",
      "float64",
      "--threads",
      "1",
    ]);
    const torchMs = typeof ref.ms_per_hvp === "number" ? ref.ms_per_hvp : NaN;
    const row = {
      sizes: c.sizes,
      N: c.N,
      act: c.act,
      p: op.p,
      ms_per_hvp: +one.toFixed(3),
      ms_per_hvp_in_block_of_16: +block.toFixed(3),
      torch_ms_per_hvp: torchMs,
      ratio: +(one / torchMs).toFixed(3),
      ratio_block: +(block / torchMs).toFixed(3),
      torch: ref.engine ?? ref.error,
    };
    rows.push(row);
    log(
      `[${c.sizes}] N=${c.N} ${c.act}, p=${op.p}: rankscope ${one.toFixed(2)} ms per product ` +
        `(${block.toFixed(2)} ms each in a block of 16), PyTorch ` +
        `${Number.isFinite(torchMs) ? torchMs.toFixed(2) + " ms" : String(ref.error)} → ratio ` +
        `${(one / torchMs).toFixed(2)} (block ${(block / torchMs).toFixed(2)})`,
    );
  }
  // SLQ density on a large net (Chen et al.'s MLP by default): products only, no p×p matrix
  const sizes = (flags["density-sizes"] ?? "784,500,500,500,2").split(",").map(Number);
  const N = Number(flags["density-n"] ?? 100);
  const steps = Number(flags["density-steps"] ?? 30);
  const probes = Number(flags["density-probes"] ?? 2);
  const problem = problemOf({ sizes, N, act: "tanh" });
  const op = curvatureOperator(problem);
  const t0 = process.hrtime.bigint();
  const d = spectralDensity(op, { probes, steps });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lo = d.grid[0];
  const hi = d.grid[d.grid.length - 1];
  rows.push({ density: { sizes, N, p: op.p, probes, steps, seconds: +seconds.toFixed(1), range: [lo, hi] } });
  log(
    `SLQ density [${sizes}] N=${N}, p=${op.p}: ${probes} probes × ${steps} Lanczos steps in ` +
      `${seconds.toFixed(1)} s (eigenvalue range ≈ [${lo.toPrecision(3)}, ` +
      `${hi.toPrecision(3)}])`,
  );
  if (asJson) console.log(JSON.stringify(rows));
}

main();
