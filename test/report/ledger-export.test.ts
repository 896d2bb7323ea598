import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { ledgerExport, latexText } from "../../src/report/ledger-export";
import { LedgerEntry, VERDICTS } from "../../src/report/ledger";
import { loadRecorded } from "../../src/report/recorded";

const entry = (id: string, verdict: LedgerEntry["verdict"], extra: Record<string, unknown> = {}): LedgerEntry => ({
  id,
  claim: "rank H = 2qM | grows",
  where: "Fig. 1",
  rule: "equal",
  differences: [],
  verdict,
  numbers: { holds: 3, ratio: 0.123456 },
  detail: "held in 3 of 3",
  ...extra,
});

describe("ledger export for a write-up", () => {
  it("Markdown: one row per claim, pipes escaped, numbers beside the detail (written out by hand)", () => {
    const md = ledgerExport([entry("a_1", "reproduced"), entry("b", "not reproduced")]).toMarkdown();
    assert.equal(
      md,
      "| id | claim | where | verdict | numbers and detail |\n" +
        "| --- | --- | --- | --- | --- |\n" +
        "| `a_1` | rank H = 2qM \\| grows | Fig. 1 | **reproduced** | held in 3 of 3 (holds 3; ratio 0.1235) |\n" +
        "| `b` | rank H = 2qM \\| grows | Fig. 1 | **not reproduced** | held in 3 of 3 (holds 3; ratio 0.1235) |\n",
    );
  });

  it("a kind column appears when an entry has a kind", () => {
    const md = ledgerExport([entry("a", "reproduced", { kind: "paper" }), entry("b", "partly")]).toMarkdown();
    assert.match(md.split("\n")[0], /\| where \| kind \| verdict \|/);
    assert.match(md, /\| Fig\. 1 \| paper \| \*\*reproduced\*\* \|/);
    assert.match(md, /\| Fig\. 1 \| {2}\| \*\*partly\*\* \|/);
  });

  it("LaTeX: booktabs rules, special characters escaped, every verdict coloured in the preamble", () => {
    assert.equal(
      latexText("a_b & 5% $x$ #1 {y} ~ ^ \\"),
      "a\\_b \\& 5\\% \\$x\\$ \\#1 \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}",
    );
    const ex = ledgerExport([entry("a_1", "not reproduced")], { caption: "Claims", label: "tab:x" });
    const tex = ex.toLatex();
    const lines = tex.trim().split("\n");
    assert.deepEqual(
      lines.filter((l) => /^\\(toprule|midrule|bottomrule|begin|end|caption|label)/.test(l)),
      [
        "\\begin{table}[t]",
        "\\caption{Claims}",
        "\\label{tab:x}",
        "\\begin{tabular}{@{}l p{0.30\\linewidth} l l p{0.30\\linewidth}@{}}",
        "\\toprule",
        "\\midrule",
        "\\bottomrule",
        "\\end{tabular}",
        "\\end{table}",
      ],
    );
    assert.ok(
      tex.includes("\\texttt{a\\_1} & rank H = 2qM | grows & Fig. 1 & \\textcolor{rs-not-reproduced}{not reproduced}"),
    );
    for (const v of VERDICTS)
      assert.match(ex.latexPreamble(), new RegExp(`definecolor\\{rs-${v.replace(/ /g, "-")}\\}\\{HTML\\}`));
  });

  it("rankscope ledger: the recorded study's claims, one row each, in Markdown and LaTeX", () => {
    const rec = loadRecorded("hessian-rank")!;
    const cli = path.resolve(__dirname, "../../src/cli/main.js");
    const md = execFileSync("node", [cli, "ledger", "hessian-rank"], { encoding: "utf8" });
    const rows = md.split("\n").filter((l) => /^\| `/.test(l));
    assert.deepEqual(
      rows.map((r) => r.match(/^\| `([^`]+)`/)![1]),
      rec.ledger.map((e) => e.id),
    );
    const tex = execFileSync("node", [cli, "ledger", "singh", "--format", "latex"], { encoding: "utf8" });
    assert.equal(tex.split("\n").filter((l) => /\\textcolor\{rs-/.test(l)).length, rec.ledger.length);
    assert.equal(spawnSync("node", [cli, "ledger", "nope"], { encoding: "utf8" }).status, 2);
  });
});
