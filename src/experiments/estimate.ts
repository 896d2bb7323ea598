/**
 * Estimated single-thread CPU-hours of a study run, said before a "full" preset starts (framework.ts `planRun`):
 * from the paper preset's record (its wall seconds per part × the workers it ran with), each part scaled by how much
 * more training the run asks for than the paper preset, or from measured step times.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The paper preset's record of `study`: wall seconds per part and the worker count, or undefined. */
function recordedTimings(study: string): { timings: Record<string, number>; workers: number } | undefined {
  const file = path.resolve(__dirname, "../../../results/paper", `${study}.json`);
  try {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    return { timings: r.timings ?? {}, workers: Number(r.options?.workers) || 1 };
  } catch {
    return undefined;
  }
}

/**
 * CPU-hours from the paper preset's record: each part's recorded seconds × the record's workers × `scale[part]`
 * (default 1). Undefined when the record is missing.
 */
export function fromRecord(
  study: string,
  scale: Record<string, number> = {},
  what = "the paper preset's recorded time",
): { cpuHours: number; detail: string } | undefined {
  const rec = recordedTimings(study);
  if (!rec) return undefined;
  let seconds = 0;
  for (const [part, s] of Object.entries(rec.timings))
    if (!part.includes(":")) seconds += s * rec.workers * (scale[part] ?? 1);
  return { cpuHours: seconds / 3600, detail: what };
}
