/**
 * `rankscope claims [--preset paper] [--update-readme]`: the claims tables of the recorded results
 * (results/<preset>/*.json) as Markdown, one table per study, generated, never typed. With
 * `--update-readme` the block between `<!-- claims:start -->` and `<!-- claims:end -->` in README.md
 * is replaced (atomically).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { STUDIES } from "../experiments/registry";
import { PRESETS, Preset } from "../experiments/framework";
import { loadRecorded, packageRoot, formatSeconds, Provenance } from "../report/recorded";
import { byKind, kindOf, tallySummary } from "../report/ledger";
import { writeFileAtomic } from "../util/files";

export const CLAIMS_HELP = `usage: rankscope claims [--preset paper] [--update-readme]
  prints the claims ledger of every recorded study (results/<preset>/<study>.json) as Markdown;
  --update-readme replaces the block between <!-- claims:start --> and <!-- claims:end --> in README.md`;

const cellText = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * The baseline of issue 20 ("the presets' sum at most half of today's") was measured when PyTorch's reference step took
 * this long.
 */
export const BASELINE_TORCH_MS = 6.7;

/** Mean of the PyTorch reference step over a record's start and end timings, or null when it has none. */
export function torchReferenceMs(p: Provenance): number | null {
  const v = (p.speed ?? []).map((r) => r.torchMs).filter((x): x is number => typeof x === "number");
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/**
 * The wall-time table of the records: minutes as run, the machine's speed reference (speed.ts) at start and end, and
 * the minutes scaled to the baseline's reference step (minutes × 6.7 ms / the record's mean reference step).
 */
export function wallTimeMarkdown(preset = "paper", root = packageRoot()): string {
  const ms = (v: number | null | undefined) => (typeof v === "number" ? v.toFixed(2) : "—");
  const rows: string[] = [];
  let sum = 0;
  let scaledSum = 0;
  let allScaled = true;
  for (const s of STUDIES) {
    const r = loadRecorded(s.name, preset, root);
    if (!r) continue;
    const p = r.provenance;
    const min = p.seconds / 60;
    const ref = torchReferenceMs(p);
    const scaled = ref === null ? null : (min * BASELINE_TORCH_MS) / ref;
    sum += min;
    if (scaled === null) allScaled = false;
    else scaledSum += scaled;
    const sp = (k: "torchMs" | "nativeMs") =>
      p.speed?.length ? p.speed.map((x) => ms(x[k])).join(" → ") : "not measured";
    rows.push(
      `| ${s.name} | \`${p.commit.slice(0, 7)}\` | ` +
        `${p.recordedAt.slice(0, 16).replace("T", " ")} | ${min.toFixed(1)} | ${sp("torchMs")} | ` +
        `${sp("nativeMs")} | ${scaled === null ? "—" : scaled.toFixed(1)} |`,
    );
  }
  return (
    `Wall time of each record (2 cores) and the machine's speed when it ran: the float64 step ` +
    `of the MLP 784-500-500-500-2 tanh ` +
    `(batch 20, SGD, 1 thread) timed in PyTorch and on rankscope's native path as the study started and as it ended. ` +
    (`The last column scales the minutes to a machine whose PyTorch step takes ` +
      `${BASELINE_TORCH_MS} ms, the speed at which issue 20's baseline was measured (minutes × ` +
      `${BASELINE_TORCH_MS} / mean PyTorch step).\n\n`) +
    (`| study | commit | recorded (UTC) | minutes | PyTorch step, ms (start → end) | native ` +
      `step, ms (start → end) | minutes at ${BASELINE_TORCH_MS} ms |\n| --- | --- | --- | --- | ` +
      `--- | --- | --- |\n`) +
    rows.join("\n") +
    `\n| **sum** | | | **${sum.toFixed(1)}** | | | **${allScaled ? scaledSum.toFixed(1) : "—"}** |`
  );
}

export function claimsMarkdown(preset = "paper", root = packageRoot()): string {
  const parts: string[] = [wallTimeMarkdown(preset, root)];
  for (const s of STUDIES) {
    const r = loadRecorded(s.name, preset, root);
    if (!r) {
      parts.push(`**${s.name}** (${s.paper}): not recorded at the ${preset} preset yet.`);
      continue;
    }
    parts.push(
      `**${s.name}** — ${r.data.title}. ${tallySummary(r.ledger)}. ` +
        (r.ledger.some((e) => e.ruleHash)
          ? ""
          : "Recorded before rule hashes, controls and the verdict `inconclusive` existed: the verdicts are " +
            "those of the rules as they were then (some 'not reproduced' would now be 'inconclusive'), until the " +
            "study is re-recorded. ") +
        (`Recorded at commit \`${r.provenance.commit.slice(0, 7)}\`${r.provenance.dirty ? " (uncommitted changes)" : ""}, ` +
          `${r.provenance.recordedAt.slice(0, 10)}, ${formatSeconds(r.provenance.seconds)} on ` +
          `${r.provenance.cores} cores.\n\n`) +
        `| claim | kind | where | verdict | numbers |\n| --- | --- | --- | --- | --- |\n` +
        byKind(r.ledger)
          .map(
            (e) =>
              `| ${cellText(e.claim)} | ${kindOf(e)} | ${cellText(e.where)} | **${e.verdict}** | ` +
              `${cellText(e.detail.length > 300 ? e.detail.slice(0, 297) + "…" : e.detail)} |`,
          )
          .join("\n"),
    );
  }
  return parts.join("\n\n");
}

export async function main(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        preset: { type: "string" },
        "update-readme": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    console.error(`claims: ${(err as Error).message}\n${CLAIMS_HELP}`);
    return 2;
  }
  if (v.help) {
    console.log(CLAIMS_HELP);
    return 0;
  }
  // checked before anything is read or written: an unknown preset would replace every table with "not recorded"
  if (v.preset !== undefined && !PRESETS.includes(v.preset as Preset)) {
    console.error(`claims: --preset must be one of ${PRESETS.join(", ")}; got "${v.preset}"\n${CLAIMS_HELP}`);
    return 2;
  }
  let md: string;
  try {
    md = claimsMarkdown(v.preset ?? "paper");
  } catch (err) {
    // an unreadable or malformed record: named, and the README left as it was
    console.error(`claims: ${(err as Error).message}; README.md not changed`);
    return 1;
  }
  if (!v["update-readme"]) {
    console.log(md);
    return 0;
  }
  // a preset nothing is recorded at (quick, today) would replace every study's tables with "not recorded"
  const preset = v.preset ?? "paper";
  if (!STUDIES.some((st) => loadRecorded(st.name, preset))) {
    console.error(
      `claims: no study has a record at the ${preset} preset (results/${preset}/ holds none), so --update-readme ` +
        "would only replace the README's tables with 'not recorded'; README.md not changed",
    );
    return 1;
  }
  const readme = path.join(packageRoot(), "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const start = "<!-- claims:start -->";
  const end = "<!-- claims:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`claims: README.md has no ${start} … ${end} block`);
    return 1;
  }
  writeFileAtomic(
    readme,
    `${text.slice(0, i + start.length)}\n<!-- generated by \`npm run claims\` from ` +
      `results/${v.preset ?? "paper"}/*.json; do not edit by hand ` +
      `-->\n\n${md}\n\n${text.slice(j)}`,
  );
  console.log(`claims: README.md updated from results/${v.preset ?? "paper"}/`);
  return 0;
}
