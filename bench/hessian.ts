/**
 * Benchmark: exact Hessian of the MSE loss for sizes [64, 30, 20, 10], N = 1000, float64, linear and
 * tanh, and its eigenvalues, beside PyTorch (torch_reference.py bench, default and vectorize=True) run in
 * the same invocation with the same thread count; plus the linear closed form and a p ≈ 10 000 network.
 *   node dist/bench/hessian.js [--json] [--skip-large]
 */
import { eigvalsh, setThreads, backend } from "../src/linalg";
import * as cv from "../src/curvature";
import { buildHessianProblem, HessianCliOptions } from "../src/cli/hessian";
import { runReference, runEigvalshReference, time, bestOf } from "./reference";
import { parseFlags } from "../src/cli/args";

const flags = parseFlags("hessian bench", process.argv.slice(2), { json: "boolean", "skip-large": "boolean" });
const asJson = flags.json === true;
const log = (s: string) => {
  if (!asJson) console.log(s);
};

const base: HessianCliOptions = {
  sizes: [64, 30, 20, 10],
  n: 1000,
  act: "tanh",
  bias: false,
  loss: "mse",
  data: "gaussian",
  seed: 0,
  init: "glorot-normal",
  downscale: "nearest",
  closedForm: false,
};
// warm the JIT on a small problem so the first timing is not compilation
cv.hessian(buildHessianProblem({ ...base, sizes: [8, 6, 5, 3], n: 50 }).problem, { parts: ["H"] });
cv.linearHessianClosedForm(buildHessianProblem({ ...base, act: "linear", sizes: [8, 6, 5, 3], n: 50 }).problem, {
  parts: ["H"],
});

const rows: Record<string, unknown>[] = [];
for (const act of ["linear", "tanh"] as const) {
  const ref = runReference(["bench", "--d", "64", "--widths", "30,20", "--K", "10", "--N", "1000", "--act", act]);
  // PyTorch's faster batched strategy, torch.autograd.functional.hessian(vectorize=True), as a second anchor
  const vec = runReference([
    "bench",
    "--d",
    "64",
    "--widths",
    "30,20",
    "--K",
    "10",
    "--N",
    "1000",
    "--act",
    act,
    "--vectorize",
  ]);
  const threads = Number(/(\d+) threads/.exec(String(ref.engine ?? ""))?.[1] ?? 1);
  setThreads(threads);
  const { problem } = buildHessianProblem({ ...base, act });
  const gen = time(() => cv.hessian(problem, { parts: ["H"] }));
  // torch's eigvalsh runs OpenBLAS on both cores whatever torch.get_num_threads() says
  // (measured: numpy at 1 thread takes as long as rankscope at 1 thread), so compare at 2
  setThreads(2);
  // dsyevd's time depends on the spectrum: the anchor that counts times torch and numpy on this same matrix (best of 3
  // each)
  const eig = bestOf(3, () => eigvalsh(gen.value.H!));
  const same = runEigvalshReference(gen.value.H!.data, gen.value.p, 3);
  const rankH = cv.summarizeSpectrum(eig.value).rank;
  const row: Record<string, unknown> = {
    act,
    p: gen.value.p,
    threads,
    eigvalsh_threads: 2,
    linalg: backend(),
    general_hessian_s: gen.seconds,
    eigvalsh_s: eig.seconds,
    rank_H: rankH,
    torch_hessian_s: ref.hessian_s ?? null,
    torch_eigvalsh_s: ref.eigvalsh_s ?? null,
    torch_rank_H: ref.rank_H ?? null,
    ratio_general_to_torch: typeof ref.hessian_s === "number" ? gen.seconds / ref.hessian_s : null,
    torch_vectorize_hessian_s: vec.hessian_s ?? null,
    ratio_general_to_torch_vectorize: typeof vec.hessian_s === "number" ? gen.seconds / vec.hessian_s : null,
    ratio_eigvalsh_to_torch: typeof ref.eigvalsh_s === "number" ? eig.seconds / ref.eigvalsh_s : null,
    torch_same_matrix_eigvalsh_s: same.torch_eigvalsh_s ?? null,
    numpy_same_matrix_eigvalsh_s: same.numpy_eigvalsh_s ?? null,
    ratio_eigvalsh_to_torch_same_matrix:
      typeof same.torch_eigvalsh_s === "number" ? eig.seconds / same.torch_eigvalsh_s : null,
  };
  if (same.error) row.eigvalsh_reference_error = same.error;
  setThreads(threads);
  if (act === "linear") {
    const cf = time(() => cv.linearHessianClosedForm(problem, { parts: ["H"] }));
    row.closed_form_s = cf.seconds;
    row.speedup_closed_form_vs_torch = typeof ref.hessian_s === "number" ? ref.hessian_s / cf.seconds : null;
  }
  if (ref.error) row.torch_error = ref.error;
  rows.push(row);
  const f = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : "—");
  log(
    `${act.padEnd(6)} p=${row.p} threads=${threads}: general Hessian ${f(gen.seconds)} s ` +
      `(torch ${f(ref.hessian_s)} s, ratio ${f(row.ratio_general_to_torch)}; torch ` +
      `vectorize=True ${f(vec.hessian_s)} s, ratio ${f(row.ratio_general_to_torch_vectorize)}), ` +
      `eigvalsh (2 threads, best of 3) ${f(eig.seconds)} s (same matrix: torch ` +
      `${f(same.torch_eigvalsh_s)} s, ratio ${f(row.ratio_eigvalsh_to_torch_same_matrix)}, ` +
      `numpy ${f(same.numpy_eigvalsh_s)} s; torch on its own draw ${f(ref.eigvalsh_s)} s), rank ` +
      `H ${rankH} (torch ${ref.rank_H ?? "—"})` +
      (act === "linear"
        ? `; closed form ${f(row.closed_form_s)} s = ${f(row.speedup_closed_form_vs_torch)}× faster than torch`
        : ""),
  );
  if (ref.error) log(`  torch reference: ${ref.error}`);
}
setThreads(2);
if (flags["skip-large"] !== true) {
  const large = { ...base, sizes: [64, 90, 60, 10] };
  const { problem } = buildHessianProblem(large);
  const h = time(() => cv.hessian(problem, { parts: ["H"] }));
  const e = time(() => eigvalsh(h.value.H!));
  const row = {
    act: "tanh",
    sizes: large.sizes,
    p: h.value.p,
    threads: 2,
    general_hessian_s: h.seconds,
    eigvalsh_s: e.seconds,
    rank_H: cv.summarizeSpectrum(e.value).rank,
    rss_gib: process.memoryUsage().rss / 2 ** 30,
  };
  rows.push(row);
  log(
    `large  p=${row.p} [64,90,60,10] tanh: Hessian ${h.seconds.toFixed(2)} s, eigvalsh ` +
      `${e.seconds.toFixed(2)} s, rank ${row.rank_H}, RSS ${row.rss_gib.toFixed(2)} GiB`,
  );
}
if (asJson) console.log(JSON.stringify({ benchmark: "hessian", rows }));
