/** Runs the PyTorch/numpy anchors in ../shared/bench/torch_reference.py in the same invocation. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export function findReferenceScript(): string | undefined {
  const candidates = [
    process.env.RANKSCOPE_TORCH_REFERENCE,
    path.resolve(__dirname, "../../../shared/bench/torch_reference.py"),
    path.resolve(__dirname, "../../shared/bench/torch_reference.py"),
    path.resolve(process.cwd(), "../shared/bench/torch_reference.py"),
  ].filter(Boolean) as string[];
  return candidates.find((c) => fs.existsSync(c));
}

/** One JSON line from the reference script, or an object with `error` when it cannot run. */
export function runReference(args: string[]): Record<string, unknown> {
  const script = findReferenceScript();
  if (!script) return { error: "torch_reference.py not found (expected at ../shared/bench/)" };
  try {
    const out = execFileSync("/usr/bin/python3", [script, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30 * 60 * 1000 });
    const line = out.trim().split("\n").pop() ?? "";
    return JSON.parse(line);
  } catch (err) {
    return { error: `reference failed: ${(err as Error).message.split("\n")[0]} (needs Debian's python3-torch)` };
  }
}

export function time<T>(f: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
