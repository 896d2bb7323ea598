/** Atomic file writes: write a temporary file in the same folder, then rename over the target. */
import * as fs from "node:fs";
import * as path from "node:path";

/** Kernel pseudo-filesystems: writing there hangs or corrupts instead of storing a file. */
const PSEUDO = ["/proc", "/sys", "/dev"];

export function assertWritablePlace(file: string, what = "write"): void {
  const abs = path.resolve(file);
  for (const p of PSEUDO)
    if (abs === p || abs.startsWith(p + "/"))
      throw new Error(
        `${what}: ${abs} is under ${p}, a kernel pseudo-filesystem, not a place for files; choose another path`,
      );
}

/**
 * What stops `file` (kind "file") or the folder `file` (kind "folder") from being written, or undefined: a kernel
 * pseudo-filesystem, an existing folder where the file should be (or a file where the folder should be), or a
 * file among the folders above it (the write would fail with EEXIST or ENOTDIR, after any work). For checks before
 * work; permissions and free space are left to the write itself.
 */
export function outputPlaceProblem(file: string, kind: "file" | "folder" = "file"): string | undefined {
  const abs = path.resolve(file);
  try {
    assertWritablePlace(abs, "output");
  } catch (err) {
    return (err as Error).message.replace(/^output: /, "");
  }
  const stat = (p: string) => {
    try {
      return fs.statSync(p);
    } catch {
      return undefined; // missing: created by the write
    }
  };
  const own = stat(abs);
  if (own && kind === "file" && own.isDirectory()) return `${abs} is a folder, not a file`;
  if (own && kind === "folder" && !own.isDirectory()) return `${abs} is a file, not a folder`;
  if (own) return undefined;
  for (let d = path.dirname(abs); ; d = path.dirname(d)) {
    const st = stat(d);
    if (st && !st.isDirectory()) return `${d} is a file, so no folder can be created under it`;
    if (st || path.dirname(d) === d) return undefined;
  }
}

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  assertWritablePlace(file);
  const dir = path.dirname(path.resolve(file));
  // a file among the folders above: say so (mkdir said only "EEXIST: file already exists, mkdir …")
  const problem = outputPlaceProblem(file);
  if (problem) throw new Error(`cannot write ${path.resolve(file)}: ${problem}`);
  fs.mkdirSync(dir, { recursive: true });
  removeOrphanedTemps(dir);
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
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
 * Removes the temporary files that killed writers (SIGKILL, power loss) left in a folder: their names
 * (`.<target>.<pid>.<time>.<random>.tmp`) carry the writer's pid, and a pid that no longer runs will
 * never finish its rename. Temp files of running writers are left alone. Called on every atomic write
 * into the folder, so a re-run of an interrupted export cleans up after it.
 */
export function removeOrphanedTemps(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const n of names) {
    const m = /^\..+\.(\d+)\.\d+\.[a-z0-9]+\.tmp$/.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      fs.unlinkSync(path.join(dir, n));
      removed++;
    } catch {
      /* another writer removed it */
    }
  }
  return removed;
}
