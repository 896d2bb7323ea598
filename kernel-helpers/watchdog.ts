/**
 * A watchdog for the processes a command starts (nbconvert and the Jupyter kernel it launches): when the command
 * itself dies without running its cleanups (`kill -9`, an out-of-memory kill), the watchdog kills what it started,
 * so no notebook is finished and written after the command is dead.
 *
 *   node watchdog.js <parent pid> <child pid>
 *
 * Every 250 ms it records the child's descendants (the kernel runs in its own session, so a process group would not
 * reach it; it is found through /proc by parent pid) with their start times (so a reused pid is never killed). When
 * the parent is gone it sends SIGKILL to the child and every recorded descendant still running, then exits; when the
 * child and all recorded descendants have exited it exits too. It is started detached and unreferenced: it never
 * keeps the parent alive.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The start time of a process (field 22 of /proc/<pid>/stat, in clock ticks), or undefined when it is gone. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (f[0] === "Z") return undefined; // a zombie has exited
    return f[19];
  } catch {
    return undefined;
  }
}

/** Starts the watchdog for `childPid` on behalf of `parentPid` (default this process); returns its pid. */
export function startWatchdog(childPid: number, parentPid = process.pid): number | undefined {
  const w = spawn(process.execPath, [path.join(__dirname, "watchdog.js"), String(parentPid), String(childPid)], {
    detached: true,
    stdio: "ignore",
  });
  w.on("error", () => {}); // no watchdog is no worse than before: the cleanups still run on Ctrl-C
  w.unref();
  return w.pid;
}

function watch(parent: number, child: number): void {
  // lazily: this module is also imported by the runner, which needs only startWatchdog
  const { descendants } = require("./run-notebooks") as typeof import("./run-notebooks");
  const parentStart = startTime(parent);
  const tracked = new Map<number, string>();
  const childStart = startTime(child);
  if (childStart) tracked.set(child, childStart);
  const alive = (pid: number, start: string) => startTime(pid) === start;
  const tick = () => {
    if (!parentStart || startTime(parent) !== parentStart) {
      for (const [pid, start] of tracked)
        if (alive(pid, start))
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone meanwhile */
          }
      process.exit(0);
    }
    if (startTime(child) === childStart)
      for (const pid of descendants(child)) {
        const s = startTime(pid);
        if (s && !tracked.has(pid)) tracked.set(pid, s);
      }
    for (const [pid, start] of tracked) if (!alive(pid, start)) tracked.delete(pid);
    if (!tracked.size) process.exit(0);
  };
  tick();
  setInterval(tick, 250);
}

if (require.main === module) {
  const [parent, child] = process.argv.slice(2).map(Number);
  if (!(parent > 0 && child > 0)) {
    console.error("usage: node watchdog.js <parent pid> <child pid>");
    process.exit(2);
  }
  watch(parent, child);
}
