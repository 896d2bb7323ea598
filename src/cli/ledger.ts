/**
 * `rankscope ledger <study> [--format markdown|latex] [--from FILE] [--out FILE] [--caption TEXT] [--label NAME]`:
 * a study's claims ledger as a Markdown or LaTeX (booktabs) table, from the recorded paper preset
 * (results/paper/<study>.json) or from a run's summary.json (`--from`, e.g. out/hessian-rank/summary.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseFlags, UsageError } from "./args";
import { STUDIES } from "../experiments/registry";
import { loadRecorded } from "../report/recorded";
import { ExperimentResult, ResultData } from "../report/result";
import { writeFileAtomic } from "../util/files";

export const LEDGER_HELP = `usage: rankscope ledger <study> [--format markdown|latex] [--from FILE] [--out FILE]
                        [--caption TEXT] [--label NAME]
  the claims ledger of a study (${STUDIES.map((s) => s.name).join(", ")}) as a Markdown table (default) or a LaTeX
  table with booktabs rules (--format latex; the preamble it needs is printed as comments above it), from the
  recorded paper preset, or from a run's summary.json with --from; to stdout, or to --out FILE`;

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
  let result: ExperimentResult;
  if (typeof flags.from === "string") {
    if (!fs.existsSync(flags.from)) throw new UsageError(`ledger: --from ${flags.from}: no such file`);
    result = new ExperimentResult(JSON.parse(fs.readFileSync(flags.from, "utf8")) as ResultData);
  } else {
    const entry = STUDIES.find((s) => s.name === study || s.namespace === study);
    if (!entry)
      throw new UsageError(`ledger: name a study (${STUDIES.map((s) => s.name).join(", ")}), or give --from FILE`);
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
