/**
 * The ledger's Markdown and LaTeX export (src/report/ledger-export.ts), written out by hand: number formatting, cell
 * escaping, the kind column, the numbers option, captions and labels, and the colour preamble.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  latexText,
  ledgerExport,
  LedgerExport,
  markdownCell,
  numbersLine,
  verdictColourName,
} from "../../src/report/ledger-export";
import { LedgerEntry, Verdict } from "../../src/report/ledger";

const entry = (id: string, verdict: Verdict, extra: Record<string, unknown> = {}): LedgerEntry => ({
  id,
  claim: `claim ${id}`,
  where: "Fig. 2",
  rule: "r",
  differences: [],
  verdict,
  numbers: {},
  detail: `detail ${id}`,
  ...extra,
});

describe("ledger export: pieces", () => {
  it("numbersLine: integers kept, others to 4 significant digits, text, booleans and null as they are", () => {
    assert.equal(
      numbersLine({ runs: 12345678, r: 0.123456, big: 1234.5678, tiny: 0.0000123456, s: "x y", ok: false, none: null }),
      "runs 12345678; r 0.1235; big 1235; tiny 0.00001235; s x y; ok false; none null",
    );
    assert.equal(numbersLine({}), "");
    assert.equal(numbersLine({ a: 1 }), "a 1");
  });

  it("markdownCell: backslashes and pipes escaped, line breaks and the space around them one space", () => {
    assert.equal(markdownCell("a|b|c"), "a\\|b\\|c");
    assert.equal(markdownCell("a\\b\\c"), "a\\\\b\\\\c");
    assert.equal(markdownCell("x\\|y"), "x\\\\\\|y");
    assert.equal(markdownCell("one  \n  two\nthree\n\nfour"), "one two three four");
    assert.equal(markdownCell("plain"), "plain");
  });

  it("latexText: each special character, every occurrence", () => {
    assert.equal(latexText("\\"), "\\textbackslash{}");
    assert.equal(latexText("~"), "\\textasciitilde{}");
    assert.equal(latexText("^"), "\\textasciicircum{}");
    for (const c of ["{", "}", "&", "%", "$", "#", "_"]) assert.equal(latexText(`a${c}b${c}`), `a\\${c}b\\${c}`);
    assert.equal(latexText("plain text"), "plain text");
  });

  it("verdictColourName: rs- and the verdict with runs of other characters as one hyphen", () => {
    assert.equal(verdictColourName("reproduced"), "rs-reproduced");
    assert.equal(verdictColourName("not reproduced"), "rs-not-reproduced");
    assert.equal(verdictColourName("a  b!!c"), "rs-a-b-c");
    assert.equal(verdictColourName("Not Assessed"), "rs-Not-Assessed");
  });
});

describe("ledger export: Markdown", () => {
  it("caption above, id not escaped, detail alone when there are no numbers", () => {
    const md = ledgerExport([entry("a|b", "partly", { claim: "x | y", where: "Fig.\n3" })], {
      caption: "Claims | of\npaper",
    }).toMarkdown();
    assert.equal(
      md,
      "**Claims \\| of paper**\n" +
        "\n" +
        "| id | claim | where | verdict | numbers and detail |\n" +
        "| --- | --- | --- | --- | --- |\n" +
        "| `a|b` | x \\| y | Fig. 3 | **partly** | detail a\\|b |\n",
    );
  });

  it("the kind column: a kind of text only, empty for entries without one; numbers: false leaves them out", () => {
    const es = [
      entry("p", "reproduced", { kind: "paper", numbers: { n: 2 } }),
      entry("e", "inconclusive", { kind: "extension" }),
      entry("u", "not assessed", { numbers: { x: 0.5 } }),
    ];
    assert.equal(
      ledgerExport(es).toMarkdown(),
      "| id | claim | where | kind | verdict | numbers and detail |\n" +
        "| --- | --- | --- | --- | --- | --- |\n" +
        "| `p` | claim p | Fig. 2 | paper | **reproduced** | detail p (n 2) |\n" +
        "| `e` | claim e | Fig. 2 | extension | **inconclusive** | detail e |\n" +
        "| `u` | claim u | Fig. 2 |  | **not assessed** | detail u (x 0.5) |\n",
    );
    assert.equal(
      ledgerExport(es, { numbers: false }).toMarkdown().split("\n")[2],
      "| `p` | claim p | Fig. 2 | paper | **reproduced** | detail p |",
    );
    assert.equal(
      ledgerExport(es, { numbers: true }).toMarkdown().split("\n")[2],
      "| `p` | claim p | Fig. 2 | paper | **reproduced** | detail p (n 2) |",
    );
    assert.equal(new LedgerExport(es).hasKind, true);
    assert.equal(new LedgerExport([entry("a", "reproduced", { kind: "" })]).hasKind, false);
    assert.equal(new LedgerExport([entry("a", "reproduced", { kind: 3 })]).hasKind, false);
    assert.equal(new LedgerExport([entry("a", "reproduced")]).hasKind, false);
    assert.equal(new LedgerExport([]).hasKind, false);
  });

  it("an empty ledger: the header only", () => {
    assert.equal(
      ledgerExport([]).toMarkdown(),
      "| id | claim | where | verdict | numbers and detail |\n| --- | --- | --- | --- | --- |\n",
    );
    assert.deepEqual(ledgerExport([]).opts, {});
  });
});

describe("ledger export: LaTeX", () => {
  it("without caption or label: the tabular alone, written out by hand", () => {
    const tex = ledgerExport([
      entry("a_1", "reproduced", { numbers: { p: 0.01 } }),
      entry("b", "not assessed", { claim: "50% & more" }),
    ]).toLatex();
    assert.equal(
      tex,
      "\\begin{tabular}{@{}l p{0.30\\linewidth} l l p{0.30\\linewidth}@{}}\n" +
        "\\toprule\n" +
        "Id & Claim & Where & Verdict & Numbers and detail \\\\\n" +
        "\\midrule\n" +
        "\\texttt{a\\_1} & claim a\\_1 & Fig. 2 & \\textcolor{rs-reproduced}{reproduced} & detail a\\_1 (p 0.01) \\\\\n" +
        "\\texttt{b} & 50\\% \\& more & Fig. 2 & \\textcolor{rs-not-assessed}{not assessed} & detail b \\\\\n" +
        "\\bottomrule\n" +
        "\\end{tabular}\n",
    );
  });

  it("a kind column; a label alone or a caption alone makes a table float", () => {
    const es = [entry("a", "partly", { kind: "consequence" }), entry("b", "inconclusive")];
    const tabular =
      "\\begin{tabular}{@{}l p{0.30\\linewidth} l l l p{0.30\\linewidth}@{}}\n" +
      "\\toprule\n" +
      "Id & Claim & Where & Kind & Verdict & Numbers and detail \\\\\n" +
      "\\midrule\n" +
      "\\texttt{a} & claim a & Fig. 2 & consequence & \\textcolor{rs-partly}{partly} & detail a \\\\\n" +
      "\\texttt{b} & claim b & Fig. 2 &  & \\textcolor{rs-inconclusive}{inconclusive} & detail b \\\\\n" +
      "\\bottomrule\n" +
      "\\end{tabular}\n";
    assert.equal(ledgerExport(es).toLatex(), tabular);
    assert.equal(
      ledgerExport(es, { label: "tab:a_b" }).toLatex(),
      "\\begin{table}[t]\n\\centering\\small\n\\label{tab:a_b}\n" + tabular + "\\end{table}\n",
    );
    assert.equal(
      ledgerExport(es, { caption: "Claims_1 & 2" }).toLatex(),
      "\\begin{table}[t]\n\\centering\\small\n\\caption{Claims\\_1 \\& 2}\n" + tabular + "\\end{table}\n",
    );
    assert.equal(
      ledgerExport(es, { caption: "C", label: "L", numbers: false }).toLatex(),
      "\\begin{table}[t]\n\\centering\\small\n\\caption{C}\n\\label{L}\n" + tabular + "\\end{table}\n",
    );
  });

  it("the preamble: booktabs, xcolor and one colour per verdict", () => {
    assert.equal(
      ledgerExport([]).latexPreamble(),
      "\\usepackage{booktabs}\n" +
        "\\usepackage{xcolor}\n" +
        "\\definecolor{rs-reproduced}{HTML}{2CA02C}\n" +
        "\\definecolor{rs-partly}{HTML}{FF7F0E}\n" +
        "\\definecolor{rs-inconclusive}{HTML}{9467BD}\n" +
        "\\definecolor{rs-not-reproduced}{HTML}{D62728}\n" +
        "\\definecolor{rs-not-assessed}{HTML}{7F7F7F}",
    );
  });
});
