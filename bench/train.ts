/**
 * Benchmark: milliseconds per training step for the studies' three dense nets, rankscope's native
 * BLAS path (float64 and float32), the float64 engine loop and tfjs, beside PyTorch on the CPU
 * (torch_reference.py train: same sizes, batch, optimiser, dtype, 1 thread) run in the same
 * invocation.
 *   node dist/bench/train.js [--json] [--steps 300]
 * Nets: Chen et al.'s MLP 784-500-500-500-2 tanh (batch 20, SGD), Jacot's [10, 50×7, 10] ReLU
 * (full batch 200, Adam), Patel's [100, 200, 200, 2] ReLU (batch 100, AdamW; PyTorch's anchor runs
 * Adam, whose cost differs from AdamW's by one scaled subtraction per parameter).
 */
import { parseArgs } from "node:util";
import { setThreads, backend, Matrix } from "../src/linalg";
import * as nets from "../src/nets";
import {
  trainDense,
  trainFloat64,
  train,
  trainConv,
  trainModel,
  vggParams,
  Precision,
  OptimizerName,
} from "../src/training";
import { loadTf } from "../src/backend";
import { Rng } from "../src/util/random";
import { runReference, runBenchScript } from "./reference";

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: { json: { type: "boolean" }, steps: { type: "string" } },
});
const asJson = flags.json === true;
const steps = Number(flags.steps ?? 300);
if (!Number.isInteger(steps) || steps < 10) throw new Error(`--steps must be an integer ≥ 10, got ${flags.steps}`);
const log = (s: string) => {
  if (!asJson) console.log(s);
};

interface Net {
  name: string;
  sizes: number[];
  act: nets.Activation;
  batch: number;
  opt: OptimizerName;
  torchOpt: "sgd" | "adam";
  lr: number;
}
const NETS: Net[] = [
  { name: "Chen MLP", sizes: [784, 500, 500, 500, 2], act: "tanh", batch: 20, opt: "sgd", torchOpt: "sgd", lr: 0.05 },
  {
    name: "Jacot deep ReLU",
    sizes: [10, 50, 50, 50, 50, 50, 50, 50, 10],
    act: "relu",
    batch: 200,
    opt: "adam",
    torchOpt: "adam",
    lr: 1e-3,
  },
  { name: "Patel MLP", sizes: [100, 200, 200, 2], act: "relu", batch: 100, opt: "adamw", torchOpt: "adam", lr: 1e-4 },
];

async function msPerStep(run: (n: number) => Promise<unknown>, n: number): Promise<number> {
  await run(20); // warm-up: JIT, buffers, BLAS
  const t0 = process.hrtime.bigint();
  await run(n);
  return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}

async function main() {
  setThreads(1);
  const tfBackend = (await loadTf()).backend;
  const rows: Record<string, unknown>[] = [];
  for (const net of NETS) {
    const spec: nets.NetSpec = { sizes: net.sizes, activation: net.act, bias: true };
    const params = nets.initParams(spec, { seed: 0, init: "glorot-uniform" });
    const rng = new Rng(1);
    const N = 50 * net.batch;
    const X = new Matrix(N, net.sizes[0], rng.normals(N * net.sizes[0]));
    const Y = new Matrix(N, net.sizes[net.sizes.length - 1], rng.normals(N * net.sizes[net.sizes.length - 1]));
    const base = {
      spec,
      params,
      X,
      Y,
      loss: "mse" as const,
      optimizer: net.opt,
      lr: net.lr,
      weightDecay: 0.01,
      batchSize: net.batch,
      seed: 0,
    };
    const row: Record<string, unknown> = {
      net: net.name,
      sizes: net.sizes,
      act: net.act,
      batch: net.batch,
      opt: net.opt,
      p: params.length,
      blas_threads: 1,
      linalg: backend(),
    };
    for (const dtype of ["float64", "float32"] as Precision[]) {
      const ref = runReference([
        "train",
        "--sizes",
        net.sizes.join(","),
        "--act",
        net.act,
        "--batch",
        String(net.batch),
        "--steps",
        String(steps),
        "--dtype",
        dtype,
        "--opt",
        net.torchOpt,
        "--threads",
        "1",
        "--bias",
        "--lr",
        String(net.lr),
      ]);
      const ours = await msPerStep((n) => trainDense({ ...base, steps: n, precision: dtype }), steps);
      row[`native_${dtype}_ms`] = ours;
      row[`torch_${dtype}_ms`] = ref.ms_per_step ?? null;
      row[`ratio_${dtype}_to_torch`] = typeof ref.ms_per_step === "number" ? ours / ref.ms_per_step : null;
      if (ref.error) row[`torch_${dtype}_error`] = ref.error;
    }
    row.engine_float64_ms = await msPerStep(
      (n) => trainFloat64({ ...base, steps: n }),
      Math.max(10, Math.floor(steps / 3)),
    );
    row[`tfjs_${tfBackend}_ms`] = await msPerStep(
      (n) => train({ ...base, steps: n }),
      Math.max(10, Math.floor(steps / 3)),
    );
    rows.push(row);
    const f = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : "—");
    log(
      `${net.name.padEnd(16)} [${net.sizes.join(",")}] ${net.act}, batch ${net.batch}, ` +
        `${net.opt}, p = ${params.length}:`,
    );
    log(
      `  native float64 ${f(row.native_float64_ms)} ms (torch ${f(row.torch_float64_ms)} ms, ` +
        `ratio ${f(row.ratio_float64_to_torch)}); native float32 ${f(row.native_float32_ms)} ms ` +
        `(torch ${f(row.torch_float32_ms)} ms, ratio ${f(row.ratio_float32_to_torch)})`,
    );
    log(`  engine float64 loop ${f(row.engine_float64_ms)} ms; tfjs ${tfBackend} ${f(row[`tfjs_${tfBackend}_ms`])} ms`);
  }
  rows.push(await vggRow(tfBackend));
  if (asJson) console.log(JSON.stringify({ benchmark: "train", steps, rows }));
}

/** Chen's VGG (p = 95 698): native float32 and tfjs, beside PyTorch float32 at 1 thread. */
async function vggRow(tfBackend: string): Promise<Record<string, unknown>> {
  const { tf } = await loadTf();
  const spec: nets.VggSpec = { inputShape: [28, 28, 1], layers: nets.CHEN_VGG_LAYERS, hidden: [128], outputs: 2 };
  const model = nets.vggModel(tf, spec, 0);
  const params = vggParams(model);
  const rng = new Rng(1);
  const N = 50 * 20;
  const X = new Matrix(N, 784, rng.normals(N * 784));
  const Y = new Matrix(N, 2, rng.normals(N * 2));
  const base = { X, Y, loss: "mse" as const, optimizer: "sgd" as const, lr: 0.01, batchSize: 20, seed: 0 };
  const n = Math.max(10, Math.floor(steps / 3));
  const row: Record<string, unknown> = {
    net: "Chen VGG",
    layers: spec.layers,
    input: spec.inputShape,
    batch: 20,
    opt: "sgd",
    p: params.length,
    blas_threads: 1,
    linalg: backend(),
  };
  const ref = runBenchScript("vgg_reference.py", [
    "--input",
    "28,28,1",
    "--layers",
    spec.layers.join(","),
    "--hidden",
    "128",
    "--outputs",
    "2",
    "--batch",
    "20",
    "--steps",
    String(n),
    "--dtype",
    "float32",
    "--threads",
    "1",
    "--lr",
    "0.01",
  ]);
  row.native_float32_ms = await msPerStep((k) => trainConv({ ...base, spec, params, steps: k }), n);
  row.torch_float32_ms = ref.ms_per_step ?? null;
  row.ratio_float32_to_torch =
    typeof ref.ms_per_step === "number" ? (row.native_float32_ms as number) / ref.ms_per_step : null;
  if (ref.error) row.torch_float32_error = ref.error;
  row[`tfjs_${tfBackend}_ms`] = await msPerStep(
    (k) => trainModel({ ...base, model, steps: k }),
    Math.max(10, Math.floor(n / 3)),
  );
  model.dispose();
  const f = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : "—");
  log(`Chen VGG         [${spec.layers.join(",")}] + [128, 2], 28×28×1, batch 20, sgd, p = ${params.length}:`);
  log(
    `  native float32 ${f(row.native_float32_ms)} ms (torch ${f(row.torch_float32_ms)} ms, ` +
      `ratio ${f(row.ratio_float32_to_torch)}); tfjs ${tfBackend} ` +
      `${f(row[`tfjs_${tfBackend}_ms`])} ms`,
  );
  return row;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
