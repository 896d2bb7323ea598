/**
 * Progress for long work. Library code creates a `Progress` and ticks it; where the ticks go is a
 * sink: a compact line-based display on the terminal by default, a bar updated in place in a
 * notebook (registered by the kernel helpers), or nothing (RANKSCOPE_PROGRESS=0). Updates are
 * throttled to a few per second.
 */
import { envProgressOff } from "../util/env";
/** One progress update, as a sink receives it. */
export interface ProgressState {
  /** what is progressing */
  label: string;
  /** units done so far */
  done: number;
  /** units in all */
  total: number;
  /** seconds since the Progress was created */
  elapsed: number;
  /** seconds, undefined until something is done */
  eta?: number;
  /** true on the last update (after `finish`) */
  finished: boolean;
}

/** Where progress updates go: a function called with every (throttled) update; see `setProgressSink`. */
export type ProgressSink = (s: ProgressState) => void;

function bar(f: number, width = 24): string {
  const n = Math.round(Math.max(0, Math.min(1, f)) * width);
  return "#".repeat(n) + ".".repeat(width - n);
}

/** Seconds for display: "12.3 s" below a minute, else "4 min 7 s"; "?" when not finite. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/**
 * One update as a text line: label, a 24-character bar, percent, done/total, elapsed time and ETA (what the terminal
 * sink prints).
 */
export function progressLine(s: ProgressState): string {
  const f = s.total > 0 ? s.done / s.total : 0;
  return (
    `${s.label} [${bar(f)}] ${(100 * f).toFixed(0).padStart(3)}% ${s.done}/${s.total} ` +
    `${formatSeconds(s.elapsed)}${s.finished ? "" : s.eta !== undefined ? `, ETA ${formatSeconds(s.eta)}` : ""}`
  );
}

const terminalSink: ProgressSink = (() => {
  const lastPrinted = new Map<string, number>();
  return (s: ProgressState) => {
    const tty = Boolean(process.stderr.isTTY);
    if (tty) {
      process.stderr.write(`\r${progressLine(s)}${s.finished ? "\n" : ""}`);
      return;
    }
    const f = s.total ? s.done / s.total : 1;
    const last = lastPrinted.get(s.label) ?? -1;
    if (s.finished || f - last >= 0.25 || last < 0) {
      process.stderr.write(progressLine(s) + "\n");
      lastPrinted.set(s.label, s.finished ? -1 : f);
    }
  };
})();

let sink: ProgressSink | undefined;

/** Sets where progress goes (undefined: the terminal default). */
export function setProgressSink(s: ProgressSink | undefined): void {
  sink = s;
}

/** A registered sink always receives progress; RANKSCOPE_PROGRESS=0 silences the terminal default. */
function activeSink(): ProgressSink | undefined {
  if (sink) return sink;
  return envProgressOff() ? undefined : terminalSink;
}

/**
 * A progress counter for long work: create it with a label and a total, `tick` as units finish, `finish` at the end.
 * Updates go to the active sink, at most one per `minInterval` ms (default 250) except the first and the last.
 */
export class Progress {
  private done = 0;
  private readonly t0 = Date.now();
  private lastEmit = 0;

  constructor(
    readonly label: string,
    readonly total: number,
    private readonly minInterval = 250,
  ) {
    this.emit(false, true);
  }

  /** Adds n units done (default 1). */
  tick(n = 1): void {
    this.done += n;
    this.emit(false);
  }

  /** Sets the units done. */
  set(done: number): void {
    this.done = done;
    this.emit(false);
  }

  /** Marks the work complete (done = total) and sends the final update. */
  finish(): void {
    this.done = this.total;
    this.emit(true, true);
  }

  private emit(finished: boolean, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < this.minInterval) return;
    this.lastEmit = now;
    const elapsed = (now - this.t0) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : undefined;
    activeSink()?.({ label: this.label, done: this.done, total: this.total, elapsed, eta, finished });
  }
}
