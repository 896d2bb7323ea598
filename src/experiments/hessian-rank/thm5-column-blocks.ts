/**
 * Theorem 5 (Sec. 4.3): the rank of each layer's column block of the functional Hessian H_f of a linear
 * network, and the "block-column independence" remark after Corollary 6 (the blocks' ranks add up to
 * rank H_f, also for ReLU and tanh). The H_o column blocks are measured beside them.
 */
import { lineFigure } from "../../figures";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { MeasureArgs, BlockMeasurement } from "./measure";
import { part, DATA_READS, baseArgs, sweepWith } from "./sweeps";
import type { ColumnBlocks, BlockSums } from "./claims";

/**
 * Theorem 5: rank of the l-th column block of Ĥ_f (l = 1..L) for sizes [d, M_1, …, M_(L−1), K], r = rk Σ_xx,
 * s = rk Ω: q̂M_(l−1) + q̂M_l − q̂² for 2 ≤ l ≤ L−1, q̂M_1 + q̂s − q̂² for l = 1, q̂M_(L−1) + q̂s − q̂² for l = L,
 * with q̂ = min(r, M_1, …, M_(L−1), K, s).
 */
export function theorem5Blocks(sizes: number[], r: number, s: number): number[] {
  const L = sizes.length - 1;
  if (L < 2) throw new Error(`theorem5Blocks: Theorem 5 needs at least one hidden layer, got sizes [${sizes}]`);
  const qh = Math.min(r, ...sizes.slice(1, L), sizes[L], s);
  return Array.from({ length: L }, (_, i) => {
    const l = i + 1;
    const left = l === 1 ? s : sizes[l - 1];
    const right = l === L ? s : sizes[l];
    return qh * left + qh * right - qh * qh;
  });
}

/**
 * Rank of the l-th column block of H_o of a linear network under A1: rk(W_L ⋯ W_(l+1)) · rk(W_(l−1) ⋯ W_1 Σ_xx),
 * i.e. min(K, M_l, …, M_(L−1)) · min(r, M_1, …, M_(l−1)). The block's diagonal part H_o^(ll) =
 * (W^(l+1:L) W^(L:l+1)) ⊗ (W^(l−1:1) Σ_xx W^(1:l−1)) (Sec. 3.1) already has this rank, and the whole column
 * block A_o B_o A_(o,l)ᵀ (Prop. 2) cannot have more: our corollary, checked as a software check.
 */
export function outerBlockRanks(sizes: number[], r: number): number[] {
  const L = sizes.length - 1;
  return Array.from({ length: L }, (_, i) => {
    const l = i + 1;
    return Math.min(sizes[L], ...sizes.slice(l, L)) * Math.min(r, ...sizes.slice(1, l));
  });
}

export const thm5 = part({
  id: "thm5",
  title: "Theorem 5 — ranks of the layer-wise column blocks of H_f",
  reads: [...DATA_READS, "thm5Hidden", "thm5N", "thm5Activations"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const configs = o.thm5Activations.flatMap((activation) => o.thm5Hidden.map((hidden) => ({ activation, hidden })));
    const args: MeasureArgs[] = configs.map((c) => ({
      ...base,
      hidden: c.hidden,
      n: o.thm5N,
      activation: c.activation,
      bias: false,
      loss: "mse",
      seed: 0,
      parts: ["Hf"],
    }));
    const res = await sweepWith<BlockMeasurement>("Theorem 5 column blocks", "measureBlocks", args, o.workers);
    const label = (i: number) => `${configs[i].activation} [${configs[i].hidden.join(", ")}]`;
    const linear = res.map((m, i) => ({ m, i })).filter(({ i }) => configs[i].activation === "linear");
    const blocks: ColumnBlocks["configs"] = linear.map(({ m, i }) => ({
      label: `[${configs[i].hidden.join(", ")}]`,
      measured: m.HfBlocks,
      formula: theorem5Blocks(m.sizes, m.r, m.s),
    }));
    const outer = linear.map(({ m }) => ({ measured: m.HoBlocks, formula: outerBlockRanks(m.sizes, m.r) }));
    const sums: BlockSums["configs"] = res.map((m, i) => ({
      label: label(i),
      blockSum: m.HfBlocks.reduce((a, b) => a + b, 0),
      rankHf: m.Hf,
    }));

    const figure = lineFigure("thm5-column-block-ranks", {
      title: `Theorem 5 — rank of each layer's column block of H_f, linear networks, N = ${o.thm5N}`,
      x: { title: "layer l (column block of W_l)" },
      y: { title: "rank of H_f[:, layer l]" },
      series: blocks.flatMap((b, k) => [
        {
          name: `${b.label} measured`,
          x: b.measured.map((_, j) => j + 1),
          y: b.measured,
          mode: "lines+markers" as const,
          colourIndex: k,
        },
        {
          name: `${b.label} Theorem 5`,
          x: b.formula.map((_, j) => j + 1),
          y: b.formula,
          mode: "markers" as const,
          colourIndex: k,
          dash: "dash" as const,
        },
      ]),
    });
    Object.assign(figure.layout.xaxis as object, { dtick: 1 });
    const diag = Math.max(1, ...sums.map((c) => Math.max(c.blockSum, c.rankHf)));
    const acts = o.thm5Activations;
    const independence = lineFigure("thm5-block-independence", {
      title: `Block-column independence — Σ_l rank of H_f's column blocks vs rank H_f, N = ${o.thm5N}`,
      x: { title: "rank H_f" },
      y: { title: "Σ_l rank H_f[:, layer l]" },
      series: [
        { name: "equality", x: [0, diag], y: [0, diag], dash: "dash", colourIndex: 7 },
        ...acts.map((a, k) => {
          const mine = sums.filter((_, i) => configs[i].activation === a);
          return {
            name: a,
            x: mine.map((c) => c.rankHf),
            y: mine.map((c) => c.blockSum),
            mode: "markers" as const,
            colourIndex: k,
          };
        }),
      ],
    });

    const rows: (string | number | null)[][] = [];
    res.forEach((m, i) => {
      const lin = configs[i].activation === "linear";
      const f5 = lin ? theorem5Blocks(m.sizes, m.r, m.s) : undefined;
      const fo = lin ? outerBlockRanks(m.sizes, m.r) : undefined;
      m.HfBlocks.forEach((v, j) =>
        rows.push([
          configs[i].activation,
          `[${configs[i].hidden.join(", ")}]`,
          j + 1,
          m.sizes[j + 1] * m.sizes[j],
          v,
          f5 ? f5[j] : null,
          m.HoBlocks[j] ?? null,
          fo ? fo[j] : null,
        ]),
      );
    });
    const okBlocks = blocks.reduce((a, b) => a + b.measured.filter((v, j) => v === b.formula[j]).length, 0);
    const allBlocks = blocks.reduce((a, b) => a + b.measured.length, 0);
    const okOuter = outer.every((b) => b.measured.every((v, j) => v === b.formula[j]));
    const checks: Check[] = linear.length
      ? [
          {
            name:
              "Theorem 5 sweep: rank of H_o's column block l = min(K, M_l..M_(L−1)) · min(r, " +
              "M_1..M_(l−1)) (linear, A1; Sec. 3.1 diagonal block and Prop. 2)",
            pass: okOuter,
            detail: linear
              .map(
                ({ i }, k) =>
                  `[${configs[i].hidden.join(", ")}]: ${outer[k].measured.join(", ")} vs ` +
                  `${outer[k].formula.join(", ")}`,
              )
              .join("; "),
          },
        ]
      : [];
    const evidence: Record<string, unknown> = { "thm5-block-independence": { configs: sums } satisfies BlockSums };
    const unassessed: Record<string, string> = {};
    if (blocks.length) evidence["thm5-column-blocks"] = { configs: blocks } satisfies ColumnBlocks;
    else
      unassessed["thm5-column-blocks"] =
        `thm5Activations [${acts.join(", ")}] has no "linear": Theorem 5 is compared on linear networks only`;
    return {
      figures: [figure.toJSON(), independence.toJSON()],
      summary: {
        ...(blocks.length ? { "thm5: H_f column blocks equal to Theorem 5": `${okBlocks} / ${allBlocks}` } : {}),
        "thm5: Σ_l rank of H_f's column blocks / rank H_f": sums
          .map((c) => `${c.label}: ${c.blockSum} / ${c.rankHf}`)
          .join(", "),
      },
      tables: [
        {
          title: "Theorem 5: rank of each layer's column block",
          columns: [
            "activation",
            "hidden",
            "layer l",
            "columns M_l·M_(l−1)",
            "rank H_f block",
            "Theorem 5",
            "rank H_o block",
            "H_o block (A1)",
          ],
          rows,
        },
        {
          title: "Block-column independence",
          columns: ["activation", "hidden", "p", "r", "s", "Σ_l rank H_f block", "rank H_f"],
          rows: res.map((m, i) => [
            configs[i].activation,
            `[${configs[i].hidden.join(", ")}]`,
            m.p,
            m.r,
            m.s,
            sums[i].blockSum,
            m.Hf,
          ]),
        },
      ],
      checks,
      evidence,
      unassessed,
    };
  },
});
