/**
 * Clean stops on Ctrl-C (SIGINT) and SIGTERM for the command line. Parts of the library that hold
 * something outside the process (a worker pool, the export browser, a Jupyter kernel) register a
 * cleanup while they hold it; the command line installs the handler, which runs every registered
 * cleanup (each with a time limit), says what was kept, and exits 130 (SIGINT) or 143 (SIGTERM).
 * A second signal exits at once. Nothing half-written is left: every file write is atomic, and the
 * tasks a study finished are checkpointed (see `parallel/checkpoint`), so the same command resumes.
 *
 * The library itself installs no handler: in a notebook, the kernel owns its signals.
 */

export type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();
let stopping = false;

/** Registers a cleanup to run if the process is interrupted; returns the function that unregisters it. */
export function onInterrupt(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

/** True once an interrupt is being handled (long loops may check it to stop early). */
export function interrupted(): boolean {
  return stopping;
}

/** Runs every registered cleanup, each for at most `limitMs`; errors are collected, not thrown. */
export async function runCleanups(limitMs = 5000): Promise<string[]> {
  const problems: string[] = [];
  const all = [...cleanups];
  cleanups.clear();
  await Promise.all(
    all.map(async (fn) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`a cleanup did not finish within ${limitMs} ms`)), limitMs);
            timer.unref();
          }),
        ]);
      } catch (err) {
        problems.push((err as Error).message);
      } finally {
        if (timer) clearTimeout(timer);
      }
    }),
  );
  return problems;
}

export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

let installed = false;

/**
 * Installs the SIGINT/SIGTERM handlers (asynchronous commands only: a handler runs when the event loop
 * gets a turn). `hint` says what was kept; `say` prints the explanation (default: stderr).
 */
export function installInterruptHandlers(
  what: string,
  hint: string,
  say: (s: string) => void = (s) => process.stderr.write(s + "\n"),
): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals) => {
    const code = signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
    if (stopping) process.exit(code); // second signal: no more waiting
    stopping = true;
    process.exitCode = code; // whatever ends the process from here on, it ends with this code
    say(`\n${what}: ${signal} received; stopping (${hint})`);
    runCleanups().then(
      (problems) => {
        for (const p of problems) say(`${what}: while stopping: ${p}`);
        process.exit(code);
      },
      () => process.exit(code),
    );
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}
