// Mutation score per file and per module from Stryker JSON reports (reports/mutation/*.json).
//   node .ci/mutation-score.mjs reports/mutation/linalg.json
//   node .ci/mutation-score.mjs reports/mutation/linalg.json reports/mutation/linalg-rerun.json [more re-runs]
// With more reports, each a re-run of the survivors before it (MUTATE_SURVIVORS_OF, see stryker.config.mjs): every
// mutant of the first counts once, with the latest result of it (same file, span, mutator and replacement). Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker's.
// --survivors lists what still survives.
import fs from "node:fs";
import process from "node:process";
import console from "node:console";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const listSurvivors = process.argv.includes("--survivors");
if (!args.length) {
  console.error("usage: node .ci/mutation-score.mjs <report.json> [<re-run report.json> ...] [--survivors]");
  process.exit(2);
}
const [first, ...reruns] = args.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
const key = (file, m) =>
  `${file}|${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}|` +
  `${m.mutatorName}|${m.replacement}`;
const again = new Map();
for (const rerun of reruns)
  for (const [file, f] of Object.entries(rerun.files)) for (const m of f.mutants) again.set(key(file, m), m);

const detected = new Set(["Killed", "Timeout"]);
const counted = new Set([...detected, "Survived", "NoCoverage"]);
const rows = new Map();
let matched = 0;
for (const [file, f] of Object.entries(first.files)) {
  const lines = f.source.split("\n");
  const row = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0, survivors: [] };
  for (const m0 of f.mutants) {
    const m1 = again.get(key(file, m0));
    if (m1) matched++;
    const m = m1 ?? m0;
    if (counted.has(m.status)) row[m.status]++;
    else row.other++;
    if (m.status === "Survived" || m.status === "NoCoverage")
      row.survivors.push(
        `  ${m.status === "NoCoverage" ? "no coverage " : ""}${m.location.start.line}:${m.location.start.column} ` +
          `${m.mutatorName}: ${lines[m.location.start.line - 1].trim().slice(0, 100)}  =>  ` +
          `${String(m.replacement).replace(/\s+/g, " ").slice(0, 70)}`,
      );
  }
  rows.set(file, row);
}
const score = (r) => {
  const d = r.Killed + r.Timeout;
  const all = d + r.Survived + r.NoCoverage;
  return all ? ((100 * d) / all).toFixed(1) + " %" : "–";
};
const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
console.log("| file | killed | timeout | survived | no coverage | score |\n| --- | --- | --- | --- | --- | --- |");
for (const [file, r] of rows) {
  for (const k of Object.keys(total)) total[k] += r[k];
  console.log(`| \`${file}\` | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${score(r)} |`);
}
console.log(`| all | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} | ${score(total)} |`);
if (reruns.length)
  console.log(`\n${matched} of the first report's mutants taken from the re-runs (${again.size} re-run)`);
if (total.other)
  console.log(`${total.other} mutants neither killed, timed out, survived nor uncovered (compile errors, ignored)`);
if (listSurvivors)
  for (const [file, r] of rows) if (r.survivors.length) console.log(`\n${file}\n${r.survivors.join("\n")}`);
