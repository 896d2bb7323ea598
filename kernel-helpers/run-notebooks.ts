/**
 * Executes notebooks headless with Debian's Jupyter (nbconvert + the tslab kernel), writes the
 * executed copies, signs them (so they render when reopened), and fails on any cell error.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { onInterrupt, interrupted } from "../src/util/interrupt";
import { writeFileAtomic } from "../src/util/files";
import { UsageError } from "../src/cli/args";
import { startWatchdog } from "./watchdog";

export const PYTHON = "/usr/bin/python3";

/** node_modules/rankscope → the package root, so notebooks can `import … from "rankscope"`. */
export function ensurePackageLink(root = path.resolve(__dirname, "../..")): void {
  const link = path.join(root, "node_modules", "rankscope");
  if (fs.existsSync(link)) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync("..", link, "dir");
}

/** Debian's Jupyter with nbconvert is what headless runs need (the kernel spec is this checkout's own). */
export function jupyterAvailable(python = PYTHON): boolean {
  return spawnSync(python, ["-c", "import nbconvert, nbclient, jupyter_client"], { encoding: "utf8" }).status === 0;
}

/**
 * A `tslab` kernel spec for this checkout, in a private Jupyter path that headless runs put first
 * (JUPYTER_PATH outranks the user and system kernel folders). The machine-wide spec that the set-up
 * registers points at whichever clone ran the set-up last; a headless run must use its own.
 */
export function checkoutKernelPath(root = path.resolve(__dirname, "../..")): string {
  const bin = path.join(root, "node_modules", ".bin", "tslab");
  if (!fs.existsSync(bin)) throw new Error(`notebooks: ${bin} is missing; run the set-up command \`bash .ci/setup\``);
  const base = path.join(root, "node_modules", ".cache", "rankscope-jupyter");
  const dir = path.join(base, "kernels", "tslab");
  fs.mkdirSync(dir, { recursive: true });
  const spec = JSON.stringify({
    argv: [bin, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  });
  const file = path.join(dir, "kernel.json");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== spec) writeFileAtomic(file, spec);
  return base;
}

/** Executes a notebook with nbclient (argv: input, output, cell timeout, kernel start timeout); exit 1 if a cell failed. */
const RUN_ALL_PY = `
import sys, os, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
src, out, timeout, startup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
nb = nbformat.read(src, as_version=4)
client = NotebookClient(nb, kernel_name="tslab", timeout=timeout, startup_timeout=startup,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
status = 0
try:
    client.execute()
except CellExecutionError as e:
    sys.stderr.write(str(e)[-2000:] + "\\n")
    status = 1
nbformat.write(nb, out)
sys.exit(status)
`;

export interface NotebookRun {
  input: string;
  output: string;
  seconds: number;
  cells: number;
  errors: string[];
}

/**
 * Runs one notebook; returns the executed copy's path and any cell errors found in it. With `root`, the kernel is the
 * tslab installed in that folder's node_modules (a project of one's own with rankscope installed), else this checkout's.
 * The kernel gets `startupTimeoutSeconds` (default 300 s; Jupyter's own default is 60 s, which a CI
 * run on a loaded 2-core machine once exceeded) to answer, and a kernel that did not come up is
 * started once more before the run counts as failed.
 */
export async function runNotebook(
  file: string,
  outDir: string,
  opts: { timeoutSeconds?: number; startupTimeoutSeconds?: number; root?: string; python?: string } = {},
): Promise<NotebookRun> {
  const python = opts.python ?? PYTHON;
  // a folder of the user's own (root) has rankscope installed in its node_modules; this checkout links itself
  if (!opts.root) ensurePackageLink();
  if (!jupyterAvailable(python))
    throw new Error(`notebooks: ${python} cannot import nbconvert; run the set-up command \`bash .ci/setup\``);
  const jupyterPath = checkoutKernelPath(opts.root);
  fs.mkdirSync(outDir, { recursive: true });
  // the previous executed copy goes first: a run that fails writes none, and the old one must not be re-signed and
  // counted as this run's
  const output = path.join(outDir, path.basename(file));
  fs.rmSync(output, { force: true });
  const t0 = Date.now();
  // nbclient as Run All does it: the cells in order, stopping at the first that fails; the notebook is written either
  // way, so the cells left unrun show (nbconvert --execute writes nothing when a cell fails)
  const args = [
    "-c",
    RUN_ALL_PY,
    file,
    output,
    String(opts.timeoutSeconds ?? 1800),
    String(opts.startupTimeoutSeconds ?? 300),
  ];
  const env = {
    ...process.env,
    JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
  };
  const exec = () => runChild(python, args, { cwd: path.dirname(file), env });
  const notStarted = (run: { status: number | null; stderr: string }) =>
    run.status !== 0 && /Kernel didn't respond|Kernel died before replying/.test(run.stderr);
  let r = await exec();
  if (notStarted(r)) {
    console.warn(
      `notebooks: the kernel for ${path.basename(file)} did not start ` +
        `(${kernelLines(r.stderr)}); starting it once more`,
    );
    r = await exec();
  }
  const errors: string[] = [];
  if (r.status !== 0)
    errors.push(
      `the notebook run exited ${r.status}: ` +
        `${r.stderr.split("\n").filter(Boolean).slice(-5).join(" | ")}${notStarted(r) ? ` | kernel: ${kernelLines(r.stderr)}` : ""}`,
    );
  let cells = 0;
  if (fs.existsSync(output)) {
    const nb = JSON.parse(fs.readFileSync(output, "utf8"));
    const unrun: number[] = [];
    nb.cells.forEach(
      (c: { cell_type: string; execution_count?: number | null; source?: string | string[] }, i: number) => {
        const src = [c.source ?? ""].flat().join("");
        if (c.cell_type === "code" && src.trim() && c.execution_count == null) unrun.push(i + 1);
      },
    );
    if (unrun.length)
      errors.push(
        `${unrun.length} code cell(s) not executed after Run All (cells ${unrun.join(", ")} of ${nb.cells.length}): ` +
          `an earlier cell failed`,
      );
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      cells++;
      for (const o of c.outputs ?? []) {
        if (o.output_type === "error") errors.push(`${o.ename}: ${o.evalue}`);
        if (
          o.output_type === "stream" &&
          o.name === "stderr" &&
          /error/i.test(String(o.text)) &&
          !/rankscope: /.test(String(o.text))
        )
          errors.push(String(o.text).slice(0, 300));
      }
    }
    execFileSync(python, ["-m", "nbformat.sign", output], { stdio: "ignore" });
  }
  return { input: file, output, seconds: (Date.now() - t0) / 1000, cells, errors };
}

/**
 * Runs a child (nbconvert) asynchronously, so that an interrupt of this process can stop it: while it
 * runs, a cleanup is registered that ends the child and everything it started (the tslab kernel runs
 * in its own session and ignores SIGTERM, so descendants are found through /proc and get SIGKILL
 * after a short grace).
 */
function runChild(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    if (interrupted()) return reject(new Error("interrupted"));
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      stderr += d;
      if (stderr.length > 4 * 1024 * 1024) stderr = stderr.slice(-2 * 1024 * 1024);
    });
    const unregister = onInterrupt(() => killTree(child.pid!));
    // if this process is killed outright (no cleanup runs), the watchdog ends nbconvert and its kernel
    if (child.pid) startWatchdog(child.pid);
    child.on("error", (err) => {
      unregister();
      reject(err);
    });
    child.on("close", (status) => {
      unregister();
      resolve({ status, stderr });
    });
  });
}

/** The pids of a process's descendants (Linux /proc), children first. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!parent.has(ppid)) parent.set(ppid, []);
      parent.get(ppid)!.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length)
    for (const c of parent.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  return out;
}

/** SIGTERM to a process and its descendants, SIGKILL to whatever still runs after `graceMs`. */
export async function killTree(pid: number, graceMs = 1500): Promise<void> {
  const all = [pid, ...descendants(pid)];
  const signal = (p: number, s: NodeJS.Signals) => {
    try {
      process.kill(p, s);
      return true;
    } catch {
      return false;
    }
  };
  for (const p of all) signal(p, "SIGTERM");
  const t0 = Date.now();
  while (Date.now() - t0 < graceMs && all.some(running)) await new Promise((r) => setTimeout(r, 100));
  for (const p of all) if (running(p)) signal(p, "SIGKILL");
}

/** Whether a process still runs (an exited one waiting to be reaped, a zombie, does not). */
export function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** What the kernel itself wrote to stderr: the lines before nbconvert's traceback, less nbconvert's own log lines. */
function kernelLines(stderr: string): string {
  const lines = stderr.split("\n");
  const tb = lines.findIndex((l) => l.startsWith("Traceback"));
  const own = lines.slice(0, tb < 0 ? lines.length : tb).filter((l) => l.trim() && !l.startsWith("[NbConvertApp]"));
  return own.slice(0, 10).join(" | ") || "nothing on stderr";
}

export const NOTEBOOKS_HELP = `usage: rankscope notebooks [--out DIR] [--only NAME[,NAME]]
       rankscope notebooks --browser [--only NAME[,NAME]] [--width PX] [--json FILE]
       rankscope notebooks --screenshot EXECUTED.ipynb --png OUT.png
       rankscope notebooks --sync-options
  runs every notebook in notebooks/ headless (nbconvert + this checkout's tslab kernel), writes the executed, signed
  copies to DIR (default notebooks/executed) and exits 1 if a cell failed; --only runs the named notebooks
  (file names without .ipynb); --browser instead opens each notebook in Jupyter Notebook 6 in headless Chromium,
  runs all its cells as a reader does and reports per notebook the figures drawn, any in Notebook 6's scroll box,
  the widest chart against the output area, error outputs, unexecuted cells and the wall time (--width: the
  window's width, default 1280; --json FILE writes them; exit 1 when a notebook fails a check); --screenshot
  renders an executed notebook to a PNG in headless Chromium; --sync-options rewrites the figure cells' commented
  option lines from the presets (a test checks they match)`;

export async function main(argv: string[]): Promise<number> {
  const { parseFlags } = await import("../src/cli/args");
  const flags = parseFlags("notebooks", argv, {
    out: "string",
    only: "string",
    screenshot: "string",
    png: "string",
    "sync-options": "boolean",
    browser: "boolean",
    json: "string",
    width: "string",
    help: "boolean",
  });
  if (flags.help) {
    console.log(NOTEBOOKS_HELP);
    return 0;
  }
  if (flags.screenshot !== undefined || flags.png !== undefined) {
    if (typeof flags.screenshot !== "string" || typeof flags.png !== "string")
      throw new UsageError("notebooks: --screenshot needs an executed notebook and --png an output .png, together");
    if (!fs.existsSync(flags.screenshot))
      throw new UsageError(`notebooks: --screenshot ${flags.screenshot}: no such file`);
    if (!/\.png$/i.test(flags.png)) throw new UsageError(`notebooks: --png must name a .png file; got "${flags.png}"`);
    const charts = await screenshotNotebook(flags.screenshot, flags.png);
    console.log(`${flags.png}: screenshot of ${flags.screenshot} with ${charts} Plotly chart(s) drawn`);
    return charts > 0 ? 0 : 1;
  }
  const root = path.resolve(__dirname, "../..");
  if (flags["sync-options"]) {
    const { syncNotebooks } = await import("./notebook-options");
    const dir = path.join(root, "notebooks");
    const changed = syncNotebooks(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
        .map((f) => path.join(dir, f)),
    );
    console.log(
      changed.length
        ? `notebooks: option lines rewritten in ${changed.map((f) => path.basename(f)).join(", ")}`
        : "notebooks: every figure cell's option lines match the presets",
    );
    return 0;
  }
  for (const k of ["json", "width"])
    if (flags[k] !== undefined && !flags.browser) throw new UsageError(`notebooks: --${k} goes with --browser`);
  if (flags.browser && flags.out !== undefined)
    throw new UsageError("notebooks: --browser writes no executed copies; --out goes without it");
  const outDir = path.resolve(typeof flags.out === "string" ? flags.out : path.join(root, "notebooks", "executed"));
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory())
    throw new UsageError(`notebooks: --out must be a folder; ${outDir} is a file`);
  const dir = path.join(root, "notebooks");
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  const names = all.map((f) => f.replace(/\.ipynb$/, ""));
  const only = typeof flags.only === "string" ? flags.only.split(",").map((x) => x.trim()) : names;
  for (const n of only)
    if (!names.includes(n))
      throw new UsageError(`notebooks: --only must name notebooks among ${names.join(", ")}; got "${n}"`);
  const files = all.filter((f) => only.includes(f.replace(/\.ipynb$/, ""))).map((f) => path.join(dir, f));
  if (flags.browser) {
    const { int } = await import("../src/cli/args");
    const width = int(flags, "width", 1280, 600, 4000);
    return runInBrowser(files, typeof flags.json === "string" ? flags.json : undefined, width);
  }
  let failed = 0;
  for (const f of files) {
    const r = await runNotebook(f, outDir);
    if (interrupted()) return 130; // Ctrl-C: do not start the next notebook
    console.log(
      `${path.basename(f)}: ${r.cells} code cells, ${r.seconds.toFixed(1)} s, ` +
        `${r.errors.length ? "FAILED" : "ok"} → ${r.output}`,
    );
    for (const e of r.errors) console.log(`  ${e}`);
    if (r.errors.length) failed++;
  }
  console.log(`notebooks: ${files.length - failed}/${files.length} ran without errors`);
  return failed ? 1 : 0;
}

/** `notebooks --browser`: Run All in Notebook 6 in Chromium, one notebook at a time, and the table of what was seen. */
async function runInBrowser(files: string[], json: string | undefined, width: number): Promise<number> {
  const { runAllInNotebook6, summarizeNotebook6, notebook6Problems } = await import("./notebook6");
  const { chromiumPath, CHROMIUM_FLAGS } = await import("../src/export");
  const rows = [];
  let failed = 0;
  for (const f of files) {
    const run = await runAllInNotebook6(f, {
      chromium: chromiumPath(),
      chromiumFlags: CHROMIUM_FLAGS,
      save: true,
      viewport: { width, height: 1000 },
      log: (l) => console.log(`  ${l}`),
    });
    if (interrupted()) return 130;
    const s = summarizeNotebook6(run);
    const problems = notebook6Problems(s);
    if (problems.length) failed++;
    // the cells worth a look: those with figures, and any boxed, scrolling, failed or left unexecuted
    const cells = run.cells
      .filter((c) => c.figures || c.boxed || c.sideways || c.errors.length || (!c.empty && !c.executed))
      .map((c) => ({
        cell: c.index,
        figures: c.figures,
        drawn: c.drawn,
        boxed: c.boxed,
        sideways: c.sideways,
        chartWidths: c.chartWidths,
        areaWidth: c.areaWidth,
        errors: c.errors,
        executed: c.executed,
      }));
    rows.push({ ...s, problems, cells });
    console.log(
      `${path.basename(f)}: ${s.drawn}/${s.figures} figures drawn, ${s.boxedFigures} boxed ` +
        `(${s.boxedOutputs} boxed output(s), ${s.sidewaysOutputs} scrolling sideways), widest chart ` +
        `${s.maxChartWidth} px in a ${s.areaWidth}-px output area, ${s.errorOutputs} error output(s), ` +
        `${s.unexecuted} unexecuted, ${s.seconds.toFixed(1)} s → ${problems.length ? "FAILED" : "ok"}`,
    );
    for (const p of problems) console.log(`  ${p}`);
    for (const c of run.cells) {
      const notes = [
        c.boxed ? "in the scroll box" : "",
        c.sideways ? "scrolls sideways" : "",
        c.drawn < c.figures ? `${c.figures - c.drawn} figure(s) not drawn: ${c.notDrawn ?? ""}` : "",
        ...c.errors,
        ...c.stderr.map((e) => `stderr: ${e.split("\n")[0]}`),
        !c.empty && !c.executed ? "not executed" : "",
      ].filter(Boolean);
      if (notes.length) console.log(`  cell ${c.index} (${c.head}): ${notes.join("; ")}`);
    }
  }
  if (json) {
    const { execFileSync: run } = await import("node:child_process");
    let commit = "";
    try {
      commit = run("git", ["rev-parse", "HEAD"], {
        cwd: path.resolve(__dirname, "../.."),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      /* not a git checkout */
    }
    const os = await import("node:os");
    writeFileAtomic(
      json,
      JSON.stringify(
        {
          what: "Run All in Jupyter Notebook 6 in headless Chromium (rankscope notebooks --browser)",
          when: new Date().toISOString(),
          commit,
          window: { width, height: 1000 },
          machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(2)}`,
          notebooks: rows,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(`notebooks: written ${json}`);
  }
  console.log(`notebooks: ${files.length - failed}/${files.length} passed Run All in Notebook 6`);
  return failed ? 1 : 0;
}

/**
 * Converts an executed notebook to HTML (nbconvert) and takes a screenshot of it in headless
 * Chromium once the Plotly charts have drawn. Returns how many charts were drawn.
 *   node dist/src/cli/main.js notebooks --screenshot notebooks/executed/tour.ipynb out.png
 */
export async function screenshotNotebook(ipynb: string, png: string): Promise<number> {
  const outDir = path.dirname(path.resolve(png));
  fs.mkdirSync(outDir, { recursive: true });
  execFileSync(PYTHON, ["-m", "nbconvert", "--to", "html", "--output-dir", outDir, ipynb], { stdio: "ignore" });
  const html = path.join(outDir, path.basename(ipynb).replace(/\.ipynb$/, ".html"));
  const { chromium } = await import("playwright-core");
  const { chromiumPath, CHROMIUM_FLAGS, plotlyPath } = await import("../src/export");
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto("file://" + html);
    // nbconvert's HTML has no notebook server to serve plotly.js from (kernel.setup's default): give the page its own
    if (!(await page.evaluate(() => "Plotly" in window))) {
      await page.evaluate(() => {
        const w = window as unknown as { define?: unknown; __rsDefine?: unknown };
        w.__rsDefine = w.define;
        w.define = undefined;
      });
      await page.addScriptTag({ path: plotlyPath() });
      await page.evaluate(() => {
        const w = window as unknown as { define?: unknown; __rsDefine?: unknown };
        w.define = w.__rsDefine;
      });
    }
    await page.waitForSelector(".plot-container", { timeout: 30000 });
    const charts = await page.locator(".plot-container").count();
    await page.locator(".plot-container").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: png });
    return charts;
  } finally {
    await browser.close();
  }
}
