/**
 * `rankscope ledger <study> [--format markdown|latex] [--from FILE] [--out FILE] [--caption TEXT] [--label NAME]`:
 * a study's claims ledger as a Markdown or LaTeX (booktabs) table, from the recorded paper preset
 * (results/paper/<study>.json) or from a run's summary.json (`--from`, e.g. out/hessian-rank/summary.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseFlags, UsageError } from "./args";
import { STUDIES, findStudy } from "../experiments/registry";
import { loadRecorded } from "../report/recorded";
import { VERDICTS } from "../report/ledger";
import { ExperimentResult, ResultData } from "../report/result";
import { writeFileAtomic, outputPlaceProblem } from "../util/files";

export const LEDGER_HELP = `usage: rankscope ledger <study> [--format markdown|latex] [--from FILE] [--out FILE]
                        [--caption TEXT] [--label NAME]
  the claims ledger of a study (${STUDIES.map((s) => s.name).join(", ")}) as a Markdown table (default) or a LaTeX
  table with booktabs rules (--format latex; the preamble it needs is printed as comments above it), from the
  recorded paper preset, or from a run's summary.json with --from; to stdout, or to --out FILE`;

/**
 * A run's summary.json (or a record) read for its ledger: a file that is not JSON or has no ledger of claim entries is
 * a usage error naming the file and what is wrong (JSON.parse's message named neither; an object without a ledger
 * printed an empty table).
 */
function readSummary(file: string): ResultData {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(
      `ledger: --from ${file} is not a result's JSON (${(err as Error).message}); give a summary.json of ` +
        "`rankscope reproduce` or a record of results/",
    );
  }
  const d = data as Partial<ResultData> | null;
  const bad =
    !d || typeof d !== "object"
      ? "it is not an object"
      : typeof d.title !== "string"
        ? "it has no title"
        : !Array.isArray(d.ledger)
          ? "it has no ledger (a list of claim entries)"
          : d.ledger.findIndex(
              (e) => !e || typeof e !== "object" || typeof e.id !== "string" || !VERDICTS.includes(e.verdict),
            );
  if (typeof bad === "string" || bad >= 0) {
    const what =
      typeof bad === "string" ? bad : `ledger entry ${bad} has no id or no verdict among ${VERDICTS.join(", ")}`;
    throw new UsageError(
      `ledger: --from ${file} is not a result with a claims ledger: ${what}; give a summary.json of ` +
        "`rankscope reproduce` or a record of results/",
    );
  }
  return d as ResultData;
}

export async function main(argv: string[]): Promise<number> {
  const study = argv[0] && !argv[0].startsWith("--") ? argv[0] : undefined;
  const flags = parseFlags("ledger", study ? argv.slice(1) : argv, {
    format: "string",
    from: "string",
    out: "string",
    caption: "string",
    label: "string",
    help: "boolean",
  });
  if (flags.help) {
    console.log(LEDGER_HELP);
    return 0;
  }
  const format = (flags.format as string | undefined) ?? "markdown";
  if (!["markdown", "latex"].includes(format))
    throw new UsageError(`ledger: --format must be markdown or latex; got "${format}"`);
  if (typeof flags.out === "string") {
    const where = outputPlaceProblem(flags.out);
    if (where) throw new UsageError(`ledger: --out cannot be written: ${where}`);
  }
  let result: ExperimentResult;
  if (typeof flags.from === "string") {
    if (!fs.existsSync(flags.from)) throw new UsageError(`ledger: --from ${flags.from}: no such file`);
    result = new ExperimentResult(readSummary(flags.from));
  } else {
    const entry = study === undefined ? undefined : findStudy(study);
    if (!entry)
      throw new UsageError(
        `ledger: name a study (${STUDIES.map((s) => s.name).join(", ")}), or give --from FILE` +
          (study === undefined ? "" : `; got "${study}"`),
      );
    const rec = loadRecorded(entry.name);
    if (!rec) throw new UsageError(`ledger: ${entry.name} has no recorded paper-preset result; use --from FILE`);
    result = rec;
  }
  const ex = result.ledgerExport({
    ...(typeof flags.caption === "string" ? { caption: flags.caption } : {}),
    ...(typeof flags.label === "string" ? { label: flags.label } : {}),
  });
  const text =
    format === "latex"
      ? ex
          .latexPreamble()
          .split("\n")
          .map((l) => `% ${l}`)
          .join("\n") +
        "\n" +
        ex.toLatex()
      : ex.toMarkdown();
  if (typeof flags.out === "string") {
    writeFileAtomic(flags.out, text);
    console.log(`written: ${path.resolve(flags.out)} (${result.ledger.length} claims, ${format})`);
  } else process.stdout.write(text);
  return 0;
}
