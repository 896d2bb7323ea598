/**
 * `npm run reproduce -- [--study NAME[,NAME]] [--preset quick|paper|full] [--out DIR] [--force] [--formats html,png,svg]
 *                       [--record] [--strict] [--queue redis://HOST:PORT] [--local]`
 * runs the studies from Node, writes every figure and a summary.json per study and an index.html
 * gallery, and prints each study's claims ledger. A study that throws is reported and the others still
 * run. Exit code 1 when the software failed (a study threw, or a software check failed); with
 * `--strict` also when a claim came out "not reproduced". `--record` also writes
 * `results/<preset>/<study>.json` with its provenance and the figures' PNG and SVG beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "./args";
import { STUDIES, StudyEntry } from "../experiments/registry";
import type { AnyStudy } from "../experiments/define";
import { PRESETS, Preset, resolveOptions } from "../experiments/framework";
import { save, closeExporter, exporterStats } from "../export";
import { writeFileAtomic, outputPlaceProblem } from "../util/files";
import { interrupted } from "../util/interrupt";
import { ExperimentResult } from "../report/result";
import { tally, tallySummary, VERDICT_COLOURS, Verdict } from "../report/ledger";
import { provenanceOf, writeRecord, resultsDir, formatSeconds, checkoutState } from "../report/recorded";
import { speedReference } from "../report/speed";
import { codeHash } from "../cache";
import { checkQueueUrl, probeQueue, QueueError } from "../queue";
import { envQueue } from "../util/env";
import { escapeHtml } from "../util/html";

export const REPRODUCE_HELP = `usage: rankscope reproduce [options]
  --study NAME[,NAME]   studies to run (default: all): ${STUDIES.map((s) => s.name).join(", ")}
  --preset quick|paper|full  quick = small sizes for a first look; paper = the papers' settings (default);
                        full = the authors' budgets (needs --queue or --local; says its CPU-hours first)
  --out DIR             where figures, summary.json and index.html go (default: out)
  --formats LIST        figure formats among html, png, svg, pdf (default: html,png,svg)
  --force               recompute even when the disk cache has the result
  --record              also write results/<preset>/<study>.json (+ PNG/SVG) with provenance, to commit
  --strict              exit 1 also when a claim is "not reproduced"
  --queue URL           run the studies' tasks as jobs on a Redis queue, redis://HOST:PORT (default:
                        RANKSCOPE_QUEUE), served by \`rankscope worker\` processes on any machine
  --local               preset full without a queue: run it on this machine all the same
  --help                this text
exit code: 0 ok; 1 a study failed with an error, a software check failed or an output file could not be written
  (or, with --strict, a claim was not reproduced); 2 bad arguments`;

export function parseReproduceArgs(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        study: { type: "string" },
        preset: { type: "string" },
        out: { type: "string" },
        formats: { type: "string" },
        force: { type: "boolean" },
        record: { type: "boolean" },
        strict: { type: "boolean" },
        queue: { type: "string" },
        local: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError(`reproduce: ${(err as Error).message}\n${REPRODUCE_HELP}`);
  }
  const v = parsed.values;
  const names = STUDIES.map((s) => s.name);
  const preset = (v.preset ?? "paper") as Preset;
  if (!PRESETS.includes(preset))
    throw new UsageError(`reproduce: --preset must be one of ${PRESETS.join(", ")}; got "${v.preset}"`);
  const studies = v.study === undefined ? names : v.study.split(",").map((s) => s.trim());
  for (const w of studies)
    if (!names.includes(w))
      throw new UsageError(
        `reproduce: --study must be one or more (comma-separated) of ${names.join(", ")}; got "${w}"`,
      );
  const formats = (v.formats ?? "html,png,svg").split(",").map((s) => s.trim());
  for (const f of formats)
    if (!["html", "png", "svg", "pdf"].includes(f))
      throw new UsageError(`reproduce: --formats takes html, png, svg, pdf; got "${f}"`);
  if (v.out !== undefined && !v.out.trim()) throw new UsageError("reproduce: --out needs a folder");
  if (v.queue !== undefined)
    try {
      checkQueueUrl(v.queue, "reproduce: --queue");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  const out = path.resolve(v.out ?? "out");
  // a file where the folder should be would make every write fail after the studies ran: refuse before any work
  const where = outputPlaceProblem(out, "folder");
  if (where) throw new UsageError(`reproduce: --out must be a folder (or a path where one can be created); ${where}`);
  return {
    help: v.help === true,
    preset,
    studies,
    formats,
    out,
    force: v.force === true,
    record: v.record === true,
    strict: v.strict === true,
    queue: v.queue,
    local: v.local === true,
  };
}

const ANSI: Record<Verdict, string> = {
  reproduced: "32",
  partly: "33",
  inconclusive: "35",
  "not reproduced": "31",
  "not assessed": "90",
};

/** One output file of a study that could not be written (a figure in one format, or summary.json), and why. */
export interface OutputFailure {
  file: string;
  error: string;
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split("\n")[0];

/**
 * Writes a study's figures in each format and its summary.json under `dir`. A file that cannot be written is recorded
 * (and listed in summary.json as `outputErrors`), never thrown: one missing browser or a full disk must not lose the
 * study's result or the studies after it. Once the browser failed to start, the other image formats are not retried
 * figure by figure.
 */
export async function writeStudyOutputs(
  result: ExperimentResult,
  dir: string,
  formats: string[],
): Promise<OutputFailure[]> {
  const failures: OutputFailure[] = [];
  let browserDown: string | undefined;
  for (const fig of result.figures)
    for (const f of formats) {
      const file = path.join(dir, `${fig.name}.${f}`);
      if (browserDown && f !== "html") {
        failures.push({ file, error: `not tried: ${browserDown}` });
        continue;
      }
      try {
        await save(fig, file);
      } catch (err) {
        if (interrupted()) throw err;
        const msg = firstLine(err);
        failures.push({ file, error: msg });
        if (f !== "html" && /Chromium not found|launch|Browser closed|Target .*closed/i.test(msg)) browserDown = msg;
      }
    }
  const summary = path.join(dir, "summary.json");
  try {
    writeFileAtomic(
      summary,
      JSON.stringify(
        {
          ...result.toJSON(),
          figures: result.figures.map((f) => f.name),
          cached: result.cached,
          ...(failures.length ? { outputErrors: failures } : {}),
        },
        null,
        2,
      ),
    );
  } catch (err) {
    if (interrupted()) throw err;
    failures.push({ file: summary, error: firstLine(err) });
  }
  return failures;
}

/** `rankscope reproduce …`; `studies` is the registry (a test passes its own). */
export async function main(argv: string[], studies: readonly StudyEntry[] = STUDIES): Promise<number> {
  let args: ReturnType<typeof parseReproduceArgs>;
  try {
    args = parseReproduceArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(REPRODUCE_HELP);
    return 0;
  }
  // before any work: a queue that does not answer fails here, in seconds; preset full needs a queue or --local
  const queue = args.queue ?? envQueue();
  if (queue) {
    try {
      const warning = await probeQueue(queue);
      if (warning) console.error(`reproduce: ${warning}`);
    } catch (err) {
      if (!(err instanceof QueueError)) throw err;
      console.error(`reproduce: ${err.message}`);
      return 2;
    }
  }
  if (args.preset === "full" && !queue && !args.local) {
    const lines = studies
      .filter((s) => args.studies.includes(s.name))
      .map((s) => {
        const est = (s as AnyStudy).estimate?.(resolveOptions(s as AnyStudy, { preset: "full" }));
        return `  ${s.name}: ${est ? `about ${Math.round(est.cpuHours * 10) / 10} CPU-hours (${est.detail})` : "no estimate"}`;
      });
    console.error(
      `reproduce: preset full is the authors' budgets:\n${lines.join("\n")}\n` +
        `give --queue redis://HOST:PORT (with \`rankscope worker\` processes) or --local to run it here all the same`,
    );
    return 2;
  }
  const colour = process.stdout.isTTY
    ? (v: Verdict, s: string) => `\x1b[${ANSI[v]}m${s}\x1b[0m`
    : (_v: Verdict, s: string) => s;
  const t0 = Date.now();
  const done: Done[] = [];
  const errors: string[] = [];
  const recordFailures: string[] = [];
  let exportFailures = 0;
  let softwareFailures = 0;
  let notReproduced = 0;
  for (const study of studies.filter((s) => args.studies.includes(s.name))) {
    console.log(`- ${study.name}: running preset "${args.preset}"`);
    // the checkout and the code hash as the run starts: edits to src/ during a long record do not change what ran
    const started = args.record ? { ...checkoutState(), codeHash: codeHash() } : undefined;
    // the machine's speed before and after (speed.ts), so the record's wall time can be compared across days
    const speed = args.record ? [await speedReference("start")] : [];
    let result: ExperimentResult;
    try {
      const extra = {
        ...(args.force ? { force: true } : {}),
        ...(args.queue ? { queue: args.queue } : {}),
        ...(args.local ? { local: true } : {}),
      };
      result = await study.calls.study({ preset: args.preset, ...extra });
    } catch (err) {
      if (interrupted()) return 130; // Ctrl-C: the handler reports and exits
      // one study's failure must not lose the others: say what failed and go on
      errors.push(study.name);
      console.log(
        `  ERROR ${study.name}: ${String((err as Error).stack ?? err)
          .split("\n")
          .slice(0, 6)
          .join("\n    ")}`,
      );
      continue;
    }
    const dir = path.join(args.out, study.name);
    // a failed write (Chromium missing, a full disk) is recorded against this study: its ledger is still printed,
    // the gallery still written and the next studies still run
    const failures = await writeStudyOutputs(result, dir, args.formats);
    const bad = result.checks.filter((c) => !c.pass);
    softwareFailures += bad.length;
    const t = tally(result.ledger);
    notReproduced += t["not reproduced"];
    console.log(
      `  ${result.figures.length} figures, ` +
        `${result.checks.length - bad.length}/${result.checks.length} software checks pass, ` +
        `${formatSeconds(result.data.seconds)}${result.cached ? " (cached result)" : ""} → ${dir}`,
    );
    for (const c of bad) console.log(`  SOFTWARE CHECK FAILED ${c.name}: ${c.detail}`);
    if (failures.length) {
      exportFailures += failures.length;
      console.log(`  OUTPUT NOT WRITTEN: ${failures.length} file(s) of ${study.name}:`);
      for (const f of failures.slice(0, 5)) console.log(`    ${f.file}: ${f.error}`);
      if (failures.length > 5) console.log(`    … and ${failures.length - 5} more (listed in summary.json)`);
    }
    console.log(`  ${result.ledger.length ? tallySummary(result.ledger, colour) : "claims: none declared"}`);
    for (const e of result.ledger)
      console.log(
        `    ${colour(e.verdict, `[${e.verdict}]`)} ${e.id} (${e.where}): ` +
          `${e.detail.length > 240 ? e.detail.slice(0, 237) + "…" : e.detail}`,
      );
    if (args.record) {
      try {
        speed.push(await speedReference("end"));
        const { loadTf } = await import("../backend");
        const tfjs = (await loadTf()).report;
        const prov = provenanceOf(result, args.preset, tfjs, started, speed);
        const rdir = resultsDir(args.preset);
        // the figures first, the record last: an interrupted recording never leaves a new record beside old figures
        for (const fig of result.figures)
          for (const f of ["png", "svg"]) await save(fig, path.join(rdir, study.name, `${fig.name}.${f}`));
        const file = writeRecord(result, prov, rdir);
        // images of figures the new record no longer draws (renamed or dropped) would sit beside it as if current
        const drawn = new Set(result.figures.map((f) => f.name));
        for (const f of fs.readdirSync(path.join(rdir, study.name)))
          if (/\.(png|svg)$/.test(f) && !drawn.has(f.replace(/\.(png|svg)$/, "")))
            fs.rmSync(path.join(rdir, study.name, f), { force: true });
        const ms = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)} ms`);
        console.log(
          `  speed reference (MLP 784-500-500-500-2 f64 step, 1 thread): PyTorch ` +
            `${speed.map((r) => ms(r.torchMs)).join(" → ")}, native ` +
            `${speed.map((r) => ms(r.nativeMs)).join(" → ")}`,
        );
        console.log(
          `  recorded → ${file}${prov.dirty ? " (WARNING: src/ has uncommitted changes; commit them and record again)" : ""}`,
        );
      } catch (err) {
        if (interrupted()) return 130;
        recordFailures.push(study.name);
        console.log(`  NOT RECORDED ${study.name}: ${firstLine(err)} (the result above and in ${dir} stands)`);
      }
    }
    done.push({ name: study.name, title: study.title, result, failures });
  }
  let galleryError: string | undefined;
  try {
    writeFileAtomic(path.join(args.out, "index.html"), gallery(done, errors, args.preset));
  } catch (err) {
    galleryError = firstLine(err);
  }
  try {
    await closeExporter();
  } catch {
    /* the browser is gone already */
  }
  const st = exporterStats();
  console.log(
    `reproduce: ${done.length} studies ` +
      `run${errors.length ? `, ${errors.length} failed with an error (${errors.join(", ")})` : ""}; ` +
      `${softwareFailures} software check(s) failed; ${notReproduced} claim(s) not reproduced; ` +
      `${exportFailures ? `${exportFailures} output file(s) not written; ` : ""}` +
      `${recordFailures.length ? `not recorded: ${recordFailures.join(", ")}; ` : ""}` +
      `${st.exported} images from ${st.launches} browser launch(es); ` +
      `${formatSeconds((Date.now() - t0) / 1000)} in all`,
  );
  if (galleryError) console.log(`gallery NOT WRITTEN (${galleryError}); each study's summary.json is in ${args.out}`);
  else console.log(`gallery: ${path.join(args.out, "index.html")}  (open it in a browser)`);
  console.log(`notebooks: jupyter-notebook notebooks/  (pick the "TypeScript" kernel; one notebook per study)`);
  const failed = errors.length || softwareFailures || exportFailures || recordFailures.length || galleryError;
  return failed || (args.strict && notReproduced) ? 1 : 0;
}

interface Done {
  name: string;
  title: string;
  result: ExperimentResult;
  failures: OutputFailure[];
}

function gallery(done: Done[], errors: string[], preset: string): string {
  const esc = escapeHtml;
  let h =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>rankscope ` +
    `reproduction</title><style>body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:1200px}img{width:360px;border:1px ` +
    `solid #ddd;margin:4px}table{border-collapse:collapse}td,th{padding:2px ` +
    `8px;border-bottom:1px solid #eee}</style></head><body>`;
  h += `<h1>rankscope reproduction (preset ${esc(preset)})</h1><p>`;
  h += done
    .map((d) => {
      const span = (v: Verdict, s: string) => `<span style="color:${VERDICT_COLOURS[v]}">${esc(s)}</span>`;
      return `<b>${esc(d.name)}</b>: ${tallySummary(d.result.ledger, span)}`;
    })
    .join("<br>");
  h += `</p>`;
  for (const d of done) {
    h += `<h2>${esc(d.title)}</h2>${d.result.summaryHtml()}<div>`;
    h += d.result.figures
      .map(
        (f) =>
          `<a href="${d.name}/${f.name}.html"><img src="${d.name}/${f.name}.png" ` +
          `alt="${esc(f.title)}" title="${esc(f.title)}"></a>`,
      )
      .join("");
    h += `</div>`;
    if (d.failures.length)
      h +=
        `<p style="color:#b00">${d.failures.length} file(s) not written:</p><ul>` +
        d.failures.map((f) => `<li>${esc(path.basename(f.file))}: ${esc(f.error)}</li>`).join("") +
        `</ul>`;
  }
  if (errors.length) h += `<h2>Failed with an error</h2><ul>${errors.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>`;
  return h + `</body></html>`;
}
