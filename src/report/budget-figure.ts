/**
 * The budget figure of a late-training claim (issue 38, item 4): the claim's effect against the training budget at
 * which it was judged (¼, ½ and all of the training, from the same runs' checkpoints), the control's beside the task's
 * where the rule has one, and the verdict at each budget on a strip above. One builder for every study: it reads only
 * the ledger entry — its per-budget verdicts and the numbers its rule wrote (`effectsOf`) — so a recorded result shows
 * the figure without being re-made. Records made before per-budget numbers were kept show the effect at the full
 * budget (the entry's own numbers) and the verdicts at the others, and say so under the plot.
 */
import { Figure, Trace, Layout } from "../figures/figure";
import { houseLayout, colour } from "../figures/style";
import { BudgetVerdict, Effect, EFFECT_KINDS, EffectKind, effectsOf, LedgerEntry, VERDICT_COLOURS } from "./ledger";

/** The name of a claim's budget figure: `budget-<claim id>`. */
export const budgetFigureName = (id: string): string => `budget-${id}`;

/** "¼", "½", "all" … for a budget fraction. */
function fractionLabel(f: number): string {
  const named: Record<string, string> = { "0.25": "¼", "0.5": "½", "0.75": "¾", "1": "all" };
  return named[String(f)] ?? String(+f.toPrecision(3));
}

/**
 * The budget figure of one ledger entry, or undefined when the entry was not judged at several budgets. Per part of the
 * claim it draws the most informative effect its numbers state at any budget (task against control, else the fraction
 * of runs going the claimed way, else a mean with its interval): the task solid, the control dashed, the level the
 * task must pass dotted; the verdict at each budget is a coloured square on the strip above.
 */
export function budgetFigure(e: LedgerEntry): Figure | undefined {
  if (!e.budgets?.length) return undefined;
  const budgets = [...e.budgets].sort((a, b) => a.fraction - b.fraction);
  const xs = budgets.map((b) => b.fraction);
  const numbersAt = (b: BudgetVerdict) => (b.fraction === 1 ? e.numbers : b.numbers);
  const effects = budgets.map((b) => {
    const n = numbersAt(b);
    return n ? effectsOf(n) : [];
  });
  // per part, the most informative kind of effect found at any budget (and its first `what`)
  const chosen = new Map<string, { kind: EffectKind; what: string }>();
  for (const list of effects)
    for (const ef of list) {
      const c = chosen.get(ef.part);
      if (!c || EFFECT_KINDS.indexOf(ef.kind) < EFFECT_KINDS.indexOf(c.kind))
        chosen.set(ef.part, { kind: ef.kind, what: ef.what });
    }
  const at = (part: string, i: number): Effect | undefined => {
    const c = chosen.get(part)!;
    return effects[i].find((ef) => ef.part === part && ef.kind === c.kind && ef.what === c.what);
  };
  const whats = [...new Set([...chosen.values()].map((c) => c.what))];
  const data: Trace[] = [];
  [...chosen.keys()].forEach((part, p) => {
    const c = chosen.get(part)!;
    const pts = xs.map((_, i) => at(part, i));
    const y = (f: (ef: Effect) => number | undefined) => pts.map((ef) => (ef ? (f(ef) ?? null) : null));
    const label = (s: string) => [part, s].filter(Boolean).join(": ");
    const mean = c.kind === "mean";
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: label(c.kind === "against control" ? "task" : whats.length > 1 ? c.what : "task"),
      x: xs,
      y: y((ef) => ef.task),
      line: { color: colour(p), width: 2 },
      marker: { size: 8 },
      ...(mean
        ? {
            error_y: {
              type: "data",
              symmetric: false,
              array: pts.map((ef) => (ef?.high !== undefined ? ef.high - ef.task : null)),
              arrayminus: pts.map((ef) => (ef?.low !== undefined ? ef.task - ef.low : null)),
              color: colour(p),
            },
          }
        : {}),
    } as Trace);
    if (pts.some((ef) => ef?.control !== undefined))
      data.push({
        type: "scatter",
        mode: "lines+markers",
        name: label("control"),
        x: xs,
        y: y((ef) => ef.control),
        line: { color: colour(p), width: 2, dash: "dash" },
        marker: { size: 8, symbol: "circle-open" },
      });
    if (!mean && pts.some((ef) => ef?.threshold !== undefined))
      data.push({
        type: "scatter",
        name: label(c.kind === "against control" ? "control + margin" : "needed for p < α"),
        x: xs,
        y: y((ef) => ef.threshold),
        // a dash at each budget: a level known at one budget only still shows
        mode: "lines+markers",
        marker: { symbol: "line-ew-open", size: 16, color: colour(p) },
        line: { color: colour(p), width: 1, dash: "dot" },
      });
  });
  if ([...chosen.values()].some((c) => c.kind === "mean"))
    data.push({
      type: "scatter",
      mode: "lines",
      name: "0 (no effect)",
      x: [0, 1],
      y: [0, 0],
      line: { color: "#999", width: 1, dash: "dot" },
    });
  // the verdict at each budget, on the strip above the effects
  data.push({
    type: "scatter",
    mode: "text+markers",
    name: "verdict",
    showlegend: false,
    x: xs,
    y: xs.map(() => 0.3),
    yaxis: "y2",
    marker: { size: 14, symbol: "square", color: budgets.map((b) => VERDICT_COLOURS[b.verdict]) },
    text: budgets.map((b) => b.verdict),
    textposition: "top center",
    textfont: { size: 12, color: budgets.map((b) => VERDICT_COLOURS[b.verdict]) },
    hovertext: budgets.map((b) => b.detail.slice(0, 400)),
    hoverinfo: "text",
  } as Trace);

  const missing = budgets.filter((b) => numbersAt(b) === undefined).map((b) => fractionLabel(b.fraction));
  const what = whats.length === 1 ? whats[0] : "effect (see the legend)";
  const layout: Layout = houseLayout({
    title:
      `${e.id} against the training budget: ${whats.length ? what : "the verdict"} at ` +
      `${xs.map(fractionLabel).join(", ")} of the training, verdict at each ` +
      `(${e.stable ? "stable" : "not stable: it depends on how long training runs"})`,
    x: { title: "training budget (fraction of the training the claim is judged on)", range: [0.12, 1.08] },
    y: { title: whats.length ? what : "(no effect stated by the rule's numbers)" },
    height: 520,
  });
  layout.xaxis = { ...layout.xaxis, tickmode: "array", tickvals: xs, ticktext: xs.map(fractionLabel) };
  layout.yaxis = { ...layout.yaxis, domain: [0, 0.76] };
  // the verdict strip: its squares and labels say what they are, no axis title (it would meet the effect axis's)
  layout.yaxis2 = { domain: [0.82, 1], range: [0, 1], showticklabels: false, showgrid: false, zeroline: false };
  // the legend under the plot (the verdict labels need the plot's width), two entries a row at most; its rows and any
  // footnote grow the figure, so the plot keeps its size
  const legendEntries = data.filter((t) => (t as { showlegend?: boolean }).showlegend !== false).length;
  const legendRows = Math.ceil(legendEntries / 2);
  const notes: string[] = [];
  if (missing.length)
    notes.push(
      `The effect at ${missing.join(", ")} is not stored in this record (made before per-budget numbers were ` +
        `kept); the verdicts are.`,
    );
  const extra = 22 * legendRows + (notes.length ? 40 : 0);
  layout.height = (layout.height as number) + extra;
  layout.margin = { ...(layout.margin as object), b: 90 + extra };
  const plotHeight = layout.height - (layout.margin.t as number) - (layout.margin.b as number);
  // 70 px below the plot: under the x axis's tick labels and title
  layout.legend = {
    ...(layout.legend as object),
    orientation: "h",
    x: 0,
    xanchor: "left",
    y: -70 / plotHeight,
    yanchor: "top",
  };
  if (notes.length)
    layout.annotations = [
      {
        xref: "paper",
        yref: "paper",
        x: 0,
        y: 0,
        yshift: -(80 + 22 * legendRows),
        xanchor: "left",
        yanchor: "top",
        align: "left",
        showarrow: false,
        text: notes.join("<br>"),
        font: { size: 11, color: "#555" },
      },
    ];
  return new Figure(budgetFigureName(e.id), data, layout);
}

/** The budget figures of a ledger's late-training claims, in ledger order. */
export function budgetFigures(entries: LedgerEntry[]): Figure[] {
  return entries.map(budgetFigure).filter((f): f is Figure => f !== undefined);
}
