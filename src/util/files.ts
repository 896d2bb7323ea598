/** Atomic file writes: write a temporary file in the same folder, then rename over the target. */
import * as fs from "node:fs";
import * as path from "node:path";

/** Kernel pseudo-filesystems: writing there hangs or corrupts instead of storing a file. */
const PSEUDO = ["/proc", "/sys", "/dev"];

export function assertWritablePlace(file: string, what = "write"): void {
  const abs = path.resolve(file);
  for (const p of PSEUDO) if (abs === p || abs.startsWith(p + "/")) throw new Error(`${what}: ${abs} is under ${p}, a kernel pseudo-filesystem, not a place for files; choose another path`);
}

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  assertWritablePlace(file);
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  removeOrphanedTemps(dir, path.basename(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/**
 * Removes the temporary files that a killed writer (SIGKILL, power loss) left for this target: their
 * names carry the writer's pid, and a pid that no longer runs will never finish its rename.
 */
export function removeOrphanedTemps(dir: string, base: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const prefix = `.${base}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith(".tmp")) continue;
    const pid = Number(n.slice(prefix.length).split(".")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      fs.unlinkSync(path.join(dir, n));
      removed++;
    } catch {
      /* another writer removed it */
    }
  }
  return removed;
}
