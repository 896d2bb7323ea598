/**
 * A machine-speed reference for recorded results: the CPU these machines run on changes speed from one
 * session to the next (the same PyTorch step has taken 4.6 ms and 9.9 ms), so a record's wall time means
 * little without one. `speedReference` times one fixed training step, Chen et al.'s MLP
 * 784-500-500-500-2 tanh (batch 20, SGD, float64, one BLAS thread, with biases), twice:
 * - in PyTorch, through `../shared/bench/torch_reference.py train` (the anchor the benchmarks and the issue
 *   tracker quote), when Debian's python3-torch is there;
 * - on rankscope's own native float64 path, which needs only the addon.
 * `reproduce --record` measures it when a study starts and when it ends, and stores both in the record.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Matrix, setThreads, getThreads } from "../linalg";
import { initParams, NetSpec } from "../nets";
import { Rng } from "../util/random";
import { packageRoot } from "./recorded";

/** The reference step: Chen et al.'s MLP with two outputs, as bench/train.ts and torch_reference.py run it. */
export const SPEED_NET = { sizes: [784, 500, 500, 500, 2], activation: "tanh" as const, batch: 20, lr: 0.05 };

/** A timing of the reference step. */
export interface SpeedReference {
  /** when it was taken: as the study started, or as it ended */
  at: "start" | "end";
  /** PyTorch float64, one thread, ms per step (null when PyTorch could not run; see torchError) */
  torchMs: number | null;
  torchError?: string;
  /** rankscope's native float64 path, one BLAS thread, ms per step (null without the addon) */
  nativeMs: number | null;
}

/** ../shared/bench/torch_reference.py (or $RANKSCOPE_TORCH_REFERENCE), if it exists. */
export function findTorchReference(root = packageRoot()): string | undefined {
  const candidates = [
    process.env.RANKSCOPE_TORCH_REFERENCE,
    path.resolve(root, "../shared/bench/torch_reference.py"),
    path.resolve(root, "../../shared/bench/torch_reference.py"),
    path.resolve(process.cwd(), "../shared/bench/torch_reference.py"),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => fs.existsSync(c));
}

/** One JSON line printed by a Python script run with Debian's /usr/bin/python3, or `{ error }`. */
export function runPythonJson(script: string, args: string[], timeoutMs = 30 * 60 * 1000): Record<string, unknown> {
  try {
    const out = execFileSync("/usr/bin/python3", [script, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    return JSON.parse(out.trim().split("\n").pop() ?? "");
  } catch (err) {
    return {
      error: `${path.basename(script)} failed: ${(err as Error).message.split("\n")[0]} (needs Debian's python3-torch)`,
    };
  }
}

/** ms per step of the reference net on the native float64 path (one BLAS thread), or null without the addon. */
export async function nativeReferenceMs(steps = 200): Promise<number | null> {
  const { trainDense } = await import("../training");
  const { nativeBlas } = await import("../training/native");
  if (!nativeBlas()) return null;
  const spec: NetSpec = { sizes: SPEED_NET.sizes, activation: SPEED_NET.activation, bias: true };
  const rng = new Rng(1);
  const N = 50 * SPEED_NET.batch;
  const X = new Matrix(N, 784, rng.normals(N * 784));
  const Y = new Matrix(N, 2, rng.normals(N * 2));
  const params = initParams(spec, { seed: 0, init: "glorot-uniform" });
  const threads = getThreads();
  setThreads(1);
  try {
    const run = (n: number) =>
      trainDense({
        spec,
        params,
        X,
        Y,
        loss: "mse",
        optimizer: "sgd",
        lr: SPEED_NET.lr,
        batchSize: SPEED_NET.batch,
        steps: n,
        precision: "float64",
      });
    await run(20); // warm-up
    const t0 = process.hrtime.bigint();
    await run(steps);
    return Number(process.hrtime.bigint() - t0) / 1e6 / steps;
  } finally {
    setThreads(threads);
  }
}

/** Times the reference step in PyTorch and natively (about 10 s). */
export async function speedReference(at: SpeedReference["at"], steps = 200): Promise<SpeedReference> {
  const script = findTorchReference();
  const ref = script
    ? runPythonJson(
        script,
        [
          "train",
          "--sizes",
          SPEED_NET.sizes.join(","),
          "--act",
          SPEED_NET.activation,
          "--batch",
          String(SPEED_NET.batch),
          "--steps",
          String(steps),
          "--dtype",
          "float64",
          "--opt",
          "sgd",
          "--threads",
          "1",
          "--bias",
          "--lr",
          String(SPEED_NET.lr),
        ],
        5 * 60 * 1000,
      )
    : { error: "torch_reference.py not found (expected at ../shared/bench/ or $RANKSCOPE_TORCH_REFERENCE)" };
  const torchMs = typeof ref.ms_per_step === "number" ? ref.ms_per_step : null;
  const out: SpeedReference = { at, torchMs, nativeMs: await nativeReferenceMs(steps) };
  if (torchMs === null) out.torchError = String(ref.error ?? "no ms_per_step in its output");
  return out;
}
