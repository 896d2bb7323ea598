/** Runs the PyTorch/numpy anchors in ../shared/bench/torch_reference.py in the same invocation. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findTorchReference, runPythonJson } from "../src/report/speed";

/** ../shared/bench/torch_reference.py, if it exists (src/report/speed.ts looks for it). */
export const findReferenceScript = () => findTorchReference();

/** One JSON line from the reference script, or an object with `error` when it cannot run. */
export function runReference(args: string[]): Record<string, unknown> {
  const script = findReferenceScript();
  if (!script) return { error: "torch_reference.py not found (expected at ../shared/bench/)" };
  return runPythonJson(script, args);
}

/** One JSON line from a Python script of bench/ (e.g. vgg_reference.py), or an object with `error`. */
export function runBenchScript(name: string, args: string[]): Record<string, unknown> {
  return runPythonJson(path.resolve(__dirname, "../../bench", name), args);
}

/**
 * torch.linalg.eigvalsh and numpy.linalg.eigvalsh timed on the same matrix as rankscope (bench/eigvalsh_reference.py,
 * best of `reps`), or an object with `error`.
 */
export function runEigvalshReference(A: Float64Array, n: number, reps: number): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-bench-"));
  const file = path.join(dir, "A.f64");
  try {
    fs.writeFileSync(file, new Uint8Array(A.buffer, A.byteOffset, A.byteLength));
    const script = path.resolve(__dirname, "../../bench/eigvalsh_reference.py");
    const out = execFileSync("/usr/bin/python3", [script, file, String(n), String(reps)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30 * 60 * 1000,
    });
    return JSON.parse(out.trim().split("\n").pop() ?? "");
  } catch (err) {
    return {
      error: `eigvalsh reference failed: ${(err as Error).message.split("\n")[0]} (needs Debian's python3-torch)`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The smallest of `reps` timings of f (and its last value). */
export function bestOf<T>(reps: number, f: () => T): { value: T; seconds: number } {
  let best = time(f);
  for (let i = 1; i < reps; i++) {
    const t = time(f);
    if (t.seconds < best.seconds) best = t;
  }
  return best;
}

export function time<T>(f: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
