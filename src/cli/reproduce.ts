/**
 * `npm run reproduce [-- --study NAME] [--preset quick|paper] [--out DIR] [--force]`: runs the studies
 * from Node, writes every figure (html + png + svg) and a summary.json per study, and an index.html
 * gallery; says which studies are not implemented yet. A study that throws is reported and the others
 * still run; the exit code is 1 when any study failed or any check did not pass.
 */
import * as path from "node:path";
import { STUDIES } from "../experiments/registry";
import { PRESETS, Preset } from "../experiments/framework";
import { save, closeExporter, exporterStats } from "../export";
import { writeFileAtomic } from "../util/files";
import { ExperimentResult } from "../report/result";
import { parseFlags, choice } from "./args";

export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ["study", "preset", "out", "force", "formats"]);
  const preset = choice(flags, "preset", PRESETS, "paper") as Preset;
  const out = path.resolve(typeof flags.out === "string" ? flags.out : "out");
  const names = STUDIES.map((s) => s.name);
  const wanted = typeof flags.study === "string" ? flags.study.split(",") : names;
  for (const w of wanted) if (!names.includes(w)) throw new Error(`--study must be one of ${names.join(", ")}; got "${w}"`);
  const formats = (typeof flags.formats === "string" ? flags.formats : "html,png,svg").split(",");
  for (const f of formats) if (!["html", "png", "svg", "pdf"].includes(f)) throw new Error(`--formats takes html, png, svg, pdf; got "${f}"`);
  const t0 = Date.now();
  const done: { name: string; title: string; result: ExperimentResult }[] = [];
  const missing: string[] = [];
  const errors: string[] = [];
  let failed = 0;
  for (const study of STUDIES.filter((s) => wanted.includes(s.name))) {
    if (!study.run) {
      missing.push(study.name);
      console.log(`- ${study.name} (${study.paper}): not implemented yet`);
      continue;
    }
    console.log(`- ${study.name}: running preset "${preset}"`);
    let result: ExperimentResult;
    try {
      result = await study.run(preset, flags.force === true ? { force: true } : undefined);
    } catch (err) {
      // one study's failure must not lose the others: say what failed and go on
      failed++;
      errors.push(study.name);
      console.log(`  ERROR ${study.name}: ${String((err as Error).stack ?? err).split("\n").slice(0, 6).join("\n    ")}`);
      continue;
    }
    const dir = path.join(out, study.name);
    for (const fig of result.figures) for (const f of formats) await save(fig, path.join(dir, `${fig.name}.${f}`));
    writeFileAtomic(path.join(dir, "summary.json"), JSON.stringify({ ...result.toJSON(), figures: result.figures.map((f) => f.name), cached: result.cached }, null, 2));
    const bad = result.checks.filter((c) => !c.pass);
    failed += bad.length;
    console.log(`  ${result.figures.length} figures, ${result.checks.length - bad.length}/${result.checks.length} checks pass, ${result.data.seconds.toFixed(1)} s${result.cached ? " (cached result)" : ""} → ${dir}`);
    for (const c of bad) console.log(`  FAIL ${c.name}: ${c.detail}`);
    done.push({ name: study.name, title: study.title, result });
  }
  writeFileAtomic(path.join(out, "index.html"), gallery(done, missing, errors, preset));
  await closeExporter();
  const st = exporterStats();
  console.log(`reproduce: ${done.length} studies run${errors.length ? `, ${errors.length} failed with an error (${errors.join(", ")})` : ""}, ${missing.length} not implemented yet (${missing.join(", ") || "none"}); ${st.exported} images from ${st.launches} browser launch(es); ${((Date.now() - t0) / 1000).toFixed(1)} s in all; gallery ${path.join(out, "index.html")}`);
  return failed > 0 ? 1 : 0;
}

function gallery(done: { name: string; title: string; result: ExperimentResult }[], missing: string[], errors: string[], preset: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  let h = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>rankscope reproduction</title><style>body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:1200px}img{width:360px;border:1px solid #ddd;margin:4px}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee}</style></head><body>`;
  h += `<h1>rankscope reproduction (preset ${esc(preset)})</h1>`;
  for (const d of done) {
    h += `<h2>${esc(d.title)}</h2>${d.result.summaryHtml()}<div>`;
    h += d.result.figures.map((f) => `<a href="${d.name}/${f.name}.html"><img src="${d.name}/${f.name}.png" alt="${esc(f.title)}" title="${esc(f.title)}"></a>`).join("");
    h += `</div>`;
  }
  if (errors.length) h += `<h2>Failed with an error</h2><ul>${errors.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>`;
  if (missing.length) h += `<h2>Not implemented yet</h2><ul>${missing.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>`;
  return h + `</body></html>`;
}
