/**
 * Progress for long work. Library code creates a `Progress` and ticks it; where the ticks go is a
 * sink: a compact line-based display on the terminal by default, a bar updated in place in a
 * notebook (registered by the kernel helpers), or nothing (RANKSCOPE_PROGRESS=0). Updates are
 * throttled to a few per second.
 */
import { envProgressOff } from "../util/env";
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  elapsed: number;
  /** seconds, undefined until something is done */
  eta?: number;
  finished: boolean;
}

export type ProgressSink = (s: ProgressState) => void;

function bar(f: number, width = 24): string {
  const n = Math.round(Math.max(0, Math.min(1, f)) * width);
  return "#".repeat(n) + ".".repeat(width - n);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

export function progressLine(s: ProgressState): string {
  const f = s.total > 0 ? s.done / s.total : 0;
  return `${s.label} [${bar(f)}] ${(100 * f).toFixed(0).padStart(3)}% ${s.done}/${s.total} ${formatSeconds(s.elapsed)}${s.finished ? "" : s.eta !== undefined ? `, ETA ${formatSeconds(s.eta)}` : ""}`;
}

const terminalSink: ProgressSink = (() => {
  let lastPrinted = new Map<string, number>();
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

  tick(n = 1): void {
    this.done += n;
    this.emit(false);
  }

  set(done: number): void {
    this.done = done;
    this.emit(false);
  }

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
