/**
 * `rankscope figure <study>.<figure> [--set option=value …] [--preset quick|paper] [--name FIGURE]
 *                  [--format svg|png|pdf|html] --out FILE`: one figure of a study with changed options, the same call
 * as `rs.<namespace>.<figure>({ preset, option: value, … })` in a notebook (and the same cache entry), exported.
 */
import { parseArgs } from "node:util";
import * as path from "node:path";
import { UsageError } from "./args";
import { STUDIES, findStudy } from "../experiments/registry";
import { EXPORT_FORMATS, ExportFormat, save, closeExporter } from "../export";
import type { ExperimentResult } from "../report/result";
import { outputPlaceProblem } from "../util/files";
import { OptionError } from "../util/options";

export const FIGURE_HELP = `usage: rankscope figure <study>.<figure> [--set option=value ...] [--preset quick|paper]
                        [--name FIGURE] [--format svg|png|pdf|html] --out FILE
  computes one figure of a study (study: ${STUDIES.map((s) => `${s.name} or ${s.namespace}`).join(", ")};
  figure: the call's name, e.g. hessian-rank.fig2a or singh.fig2a) with the options given by --set (a value is read
  as JSON when it parses, e.g. --set sweepN=[10,20,40], else as a string), from the preset (default quick), through
  the same cache as the notebooks, and writes it to FILE (format from --format, else from FILE's extension).
  --name picks one figure when the call draws several. Prints the claims the figure feeds with their verdicts.`;

/** "a=1" → ["a", 1]; the value is JSON when it parses, else the string. */
export function parseSetting(s: string): [string, unknown] {
  const eq = s.indexOf("=");
  if (eq <= 0) throw new UsageError(`figure: --set needs option=value; got "${s}"`);
  const key = s.slice(0, eq).trim();
  const raw = s.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    /* a plain string */
  }
  return [key, value];
}

type PartCall = ((o: Record<string, unknown>) => Promise<ExperimentResult>) & {
  options?: unknown;
  check?: (o: Record<string, unknown>) => void;
};

/** The per-figure call `rs.<namespace>.<id>` of "<study>.<id>" (study by name or namespace). */
export function findFigureCall(target: string): { study: string; id: string; call: PartCall } {
  const dot = target.indexOf(".");
  if (dot <= 0)
    throw new UsageError(`figure: name the figure as <study>.<figure>, e.g. hessian-rank.fig2a; got "${target}"`);
  const [s, id] = [target.slice(0, dot), target.slice(dot + 1)];
  const entry = findStudy(s);
  if (!entry)
    throw new UsageError(
      `figure: no study "${s}"; studies: ${STUDIES.map((x) => `${x.name} (${x.namespace})`).join(", ")}`,
    );
  const ns = entry.calls as Record<string, unknown>;
  const ids = Object.keys(ns).filter((k) => typeof ns[k] === "function" && k !== "study");
  if (!ids.includes(id))
    throw new UsageError(`figure: ${entry.name} has no figure "${id}"; its figures: ${ids.join(", ")}`);
  return { study: entry.name, id, call: ns[id] as PartCall };
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        set: { type: "string", multiple: true },
        preset: { type: "string" },
        name: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`figure: ${(err as Error).message}\n${FIGURE_HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(FIGURE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`figure: name one figure as <study>.<figure>\n${FIGURE_HELP}`);
  if (!values.out) throw new UsageError(`figure: --out FILE is required\n${FIGURE_HELP}`);
  const ext = path.extname(values.out).slice(1).toLowerCase();
  const format = (values.format ?? ext) as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new UsageError(`figure: --format must be one of ${EXPORT_FORMATS.join(", ")}; got "${values.format ?? ext}"`);
  const out = path.resolve(ext === format ? values.out : `${values.out}.${format}`);
  // before the figure is computed: a place the file cannot be written (it failed after the computation)
  const where = outputPlaceProblem(out);
  if (where) throw new UsageError(`figure: --out cannot be written: ${where}`);
  const { study, id, call } = findFigureCall(positionals[0]);
  const options: Record<string, unknown> = { preset: values.preset ?? "quick" };
  for (const s of values.set ?? []) {
    const [k, v] = parseSetting(s);
    options[k] = v;
  }
  // the options (--set, --preset) are checked as the call would check them, before any work: a usage error (exit 2)
  try {
    call.check?.(options);
  } catch (err) {
    if (err instanceof OptionError) throw new UsageError(`figure: ${err.message}`);
    throw err;
  }
  const r = await call(options);
  const figs = r.figures;
  const fig = values.name ? figs.find((f) => f.name === values.name) : figs[0];
  if (!fig)
    throw new UsageError(
      `figure: ${study}.${id} drew no figure "${values.name}"; it drew ${figs.map((f) => f.name).join(", ")}`,
    );
  if (!values.name && figs.length > 1)
    console.error(
      `${study}.${id} draws ${figs.length} figures (${figs.map((f) => f.name).join(", ")}); writing "${fig.name}" (--name picks another)`,
    );
  try {
    await save(fig, out);
  } finally {
    await closeExporter();
  }
  console.log(`${study}.${id}: options ${r.optionsLine()}`);
  for (const e of r.ledger) console.log(`  [${e.verdict}] ${e.id}: ${e.detail}`);
  console.log(`written: ${out}`);
  return 0;
}
