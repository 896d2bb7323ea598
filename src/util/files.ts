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
