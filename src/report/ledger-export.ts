/**
 * A claims ledger as tables for a write-up, beside the figures' SVG/PDF: Markdown (a README, an issue, a report) and
 * LaTeX with booktabs (a paper's appendix). One row per claim: its id, the claim, where the paper makes it, its kind
 * when the entries carry one ("paper", "consequence", "extension"), the verdict, and the numbers and detail it rests on.
 *
 *   result.ledgerExport().toMarkdown()
 *   result.ledgerExport({ caption: "…", label: "tab:singh" }).toLatex()
 *   rankscope ledger hessian-rank --format latex --out ledger.tex
 *
 * The verdicts and their colours are read from ledger.ts (VERDICTS, VERDICT_COLOURS), so a verdict added there is
 * exported with its colour.
 */
import { LedgerEntry, Numbers, VERDICTS, VERDICT_COLOURS } from "./ledger";

/** Options of a ledger export. */
export interface LedgerExportOptions {
  /** a caption (LaTeX: \caption; Markdown: a bold line above the table) */
  caption?: string;
  /** a LaTeX label (\label{…}) */
  label?: string;
  /** include the numbers behind each verdict (default true) */
  numbers?: boolean;
}

/** An entry's kind, when the ledger carries one. */
function kindOf(e: LedgerEntry): string | undefined {
  const k = (e as LedgerEntry & { kind?: unknown }).kind;
  return typeof k === "string" && k ? k : undefined;
}

/** The numbers behind a verdict as "name value; …" (numbers to 4 significant digits). */
export function numbersLine(n: Numbers): string {
  return Object.entries(n)
    .map(([k, v]) => `${k} ${typeof v === "number" ? (Number.isInteger(v) ? v : +v.toPrecision(4)) : v}`)
    .join("; ");
}

/** Markdown cell text: pipes escaped, line breaks as spaces. */
export function markdownCell(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ");
}

/** LaTeX text: the ten special characters escaped. */
export function latexText(s: string): string {
  return s.replace(/[\\{}&%$#_~^]/g, (c) =>
    c === "\\" ? "\\textbackslash{}" : c === "~" ? "\\textasciitilde{}" : c === "^" ? "\\textasciicircum{}" : `\\${c}`,
  );
}

/** The colour name of a verdict in the LaTeX preamble ("not reproduced" → rs-not-reproduced). */
export function verdictColourName(v: string): string {
  return `rs-${v.replace(/[^a-z]+/gi, "-")}`;
}

/** The rows of a ledger for export. */
export class LedgerExport {
  constructor(
    readonly entries: LedgerEntry[],
    readonly opts: LedgerExportOptions = {},
  ) {}

  /** whether any entry carries a kind (then the tables have a kind column) */
  get hasKind(): boolean {
    return this.entries.some((e) => kindOf(e) !== undefined);
  }

  private detail(e: LedgerEntry): string {
    const n = this.opts.numbers === false ? "" : numbersLine(e.numbers);
    return n ? `${e.detail} (${n})` : e.detail;
  }

  /** A GitHub-flavoured Markdown table (verdicts in bold). */
  toMarkdown(): string {
    const kind = this.hasKind;
    const head = ["id", "claim", "where", ...(kind ? ["kind"] : []), "verdict", "numbers and detail"];
    const lines = [
      ...(this.opts.caption ? [`**${markdownCell(this.opts.caption)}**`, ""] : []),
      `| ${head.join(" | ")} |`,
      `| ${head.map(() => "---").join(" | ")} |`,
    ];
    for (const e of this.entries) {
      const cells = [
        `\`${e.id}\``,
        e.claim,
        e.where,
        ...(kind ? [kindOf(e) ?? ""] : []),
        `**${e.verdict}**`,
        this.detail(e),
      ];
      lines.push(`| ${cells.map((c, i) => (i === 0 ? c : markdownCell(c))).join(" | ")} |`);
    }
    return lines.join("\n") + "\n";
  }

  /** The LaTeX preamble lines the table needs: booktabs, xcolor and a colour per verdict (from VERDICT_COLOURS). */
  latexPreamble(): string {
    return [
      "\\usepackage{booktabs}",
      "\\usepackage{xcolor}",
      ...VERDICTS.map(
        (v) => `\\definecolor{${verdictColourName(v)}}{HTML}{${VERDICT_COLOURS[v].replace("#", "").toUpperCase()}}`,
      ),
    ].join("\n");
  }

  /** A LaTeX table (booktabs rules, verdicts coloured; see `latexPreamble`), in a table float when captioned. */
  toLatex(): string {
    const kind = this.hasKind;
    const cols = `@{}l p{0.30\\linewidth} l ${kind ? "l " : ""}l p{0.30\\linewidth}@{}`;
    const head = ["Id", "Claim", "Where", ...(kind ? ["Kind"] : []), "Verdict", "Numbers and detail"];
    const body = this.entries.map((e) => {
      const cells = [
        `\\texttt{${latexText(e.id)}}`,
        latexText(e.claim),
        latexText(e.where),
        ...(kind ? [latexText(kindOf(e) ?? "")] : []),
        `\\textcolor{${verdictColourName(e.verdict)}}{${latexText(e.verdict)}}`,
        latexText(this.detail(e)),
      ];
      return `${cells.join(" & ")} \\\\`;
    });
    const tabular = [
      `\\begin{tabular}{${cols}}`,
      "\\toprule",
      `${head.join(" & ")} \\\\`,
      "\\midrule",
      ...body,
      "\\bottomrule",
      "\\end{tabular}",
    ];
    if (!this.opts.caption && !this.opts.label) return tabular.join("\n") + "\n";
    return (
      [
        "\\begin{table}[t]",
        "\\centering\\small",
        ...(this.opts.caption ? [`\\caption{${latexText(this.opts.caption)}}`] : []),
        ...(this.opts.label ? [`\\label{${this.opts.label}}`] : []),
        ...tabular,
        "\\end{table}",
      ].join("\n") + "\n"
    );
  }
}

/** A ledger's export: `ledgerExport(result.ledger).toMarkdown()`, `.toLatex()`. */
export function ledgerExport(entries: LedgerEntry[], opts: LedgerExportOptions = {}): LedgerExport {
  return new LedgerExport(entries, opts);
}
