/**
 * Theorem 9, Corollary 10, Fact 11 (Sec. 7.1): rank of the outer-product Hessian H_o of bias-free ReLU
 * networks against the bound r·M̃ + M̃K − M̃ (one hidden layer) / p − M_1(d − r) − Σ M_i (several), over
 * sample sizes N; assumption A2 measured per first-layer neuron.
 */
import { lineFigure } from "../../figures";
import { Check } from "../../report/result";
import { PartOutput } from "../parts";
import { MeasureArgs, ReluMeasurement } from "./measure";
import { part, DATA_READS, baseArgs, sweepWith } from "./sweeps";
import type { ReluPoint, ReluSweep } from "./claims";

/** Theorem 9 (one hidden layer, M̃ active neurons): r·M̃ + M̃K − M̃. */
export function theorem9Bound(r: number, activeNeurons: number, K: number): number {
  return r * activeNeurons + activeNeurons * K - activeNeurons;
}

/** Fact 11: p − M_1(d − r) − Σ_i M_i for sizes [d, M_1, …, M_(L−1), K] without bias. */
export function fact11Bound(sizes: number[], r: number): number {
  const L = sizes.length - 1;
  let p = 0;
  for (let l = 1; l <= L; l++) p += sizes[l] * sizes[l - 1];
  const hidden = sizes.slice(1, L);
  return p - sizes[1] * (sizes[0] - r) - hidden.reduce((a, b) => a + b, 0);
}

export const thm9 = part({
  id: "thm9",
  title: "Theorem 9 / Fact 11 — rank of H_o of ReLU networks vs its bound",
  reads: [...DATA_READS, "thm9Hidden", "thm9N", "thm9Inputs"],
  async run(o): Promise<PartOutput> {
    const base = baseArgs(o);
    const configs = o.thm9Inputs.flatMap((inputs) =>
      o.thm9Hidden.flatMap((hidden) => o.thm9N.map((N) => ({ hidden, N, inputs }))),
    );
    const args: MeasureArgs[] = configs.map((c) => ({
      ...base,
      inputKind: c.inputs,
      hidden: c.hidden,
      n: c.N,
      activation: "relu",
      bias: false,
      loss: "mse",
      seed: 0,
      parts: ["Ho"],
    }));
    const res = await sweepWith<ReluMeasurement>("Theorem 9 ReLU H_o", "measureRelu", args, o.workers);
    const K = o.K;
    const points: ReluPoint[] = res.map((m, i) => {
      const layers = configs[i].hidden.length;
      const one = layers === 1;
      const dead = configs[i].hidden.reduce((a, w, l) => a + w - m.active[l], 0);
      return {
        label: `[${configs[i].hidden.join(", ")}] N=${configs[i].N}${configs[i].inputs === "gaussian" ? " Gaussian" : ""}`,
        inputs: configs[i].inputs,
        layers,
        N: configs[i].N,
        d: m.sizes[0],
        r: m.r,
        rank: m.Ho,
        rows: configs[i].N * K,
        bound: one ? theorem9Bound(m.r, m.active[0], K) : fact11Bound(m.sizes, m.r),
        dead,
        active1: m.active[0],
        a2: m.a2,
        refined: one ? m.firstLayerRanks.reduce((a, b) => a + b, 0) + m.active[0] * (K - 1) : null,
      };
    });
    const series = o.thm9Inputs.flatMap((inputs, j) =>
      o.thm9Hidden.flatMap((hidden, k0) => {
        const k = k0 + j * o.thm9Hidden.length;
        const pts = points.filter((_, i) => configs[i].hidden === hidden && configs[i].inputs === inputs);
        const xs = pts.map((q) => q.N);
        const name = `[${hidden.join(", ")}]${inputs === "gaussian" ? " Gaussian" : ""}`;
        return [
          {
            name: `${name} rank H_o`,
            x: xs,
            y: pts.map((q) => q.rank),
            mode: "lines+markers" as const,
            colourIndex: k,
          },
          {
            name: `${name} ${hidden.length === 1 ? "Theorem 9" : "Fact 11"} bound`,
            x: xs,
            y: pts.map((q) => q.bound),
            dash: "dash" as const,
            colourIndex: k,
          },
          ...(hidden.length === 1
            ? [
                {
                  name: `${name} Σ_j rk E[α_j xxᵀ] + M̃(K−1)`,
                  x: xs,
                  y: pts.map((q) => q.refined!),
                  mode: "markers" as const,
                  colourIndex: k + 3,
                },
              ]
            : []),
        ];
      }),
    );
    const Ns = [...new Set(o.thm9N)].sort((a, b) => a - b);
    const figure = lineFigure("thm9-relu-Ho-vs-n", {
      title: `Theorem 9 / Fact 11 — rank of H_o of bias-free ReLU networks vs N, MSE, d = ${o.d}, K = ${K}`,
      x: { title: "sample size N" },
      y: { title: "rank H_o" },
      series: [...series, { name: "N·K", x: Ns, y: Ns.map((n) => n * K), dash: "dot", colourIndex: 7 }],
      vlines: [{ x: 2 * o.d, label: "N = 2d (A2 'holds as soon as N > 2d')" }],
    });
    const one = points.filter((q) => q.layers === 1);
    const checks: Check[] = one.length
      ? [
          {
            name:
              "Theorem 9: rank H_o ≤ r·M̃ + M̃K − M̃ for one hidden ReLU layer (proved; M̃ = neurons " +
              "active on some sample)",
            pass: one.every((q) => q.rank <= q.bound),
            detail: one.map((q) => `${q.label}: ${q.rank} ≤ ${q.bound} (A2 ${q.a2}/${q.active1} neurons)`).join("; "),
          },
        ]
      : [];
    const rows = points.map((q, i) => [
      configs[i].inputs,
      `[${configs[i].hidden.join(", ")}]`,
      q.N,
      q.r,
      res[i].p,
      q.rank,
      q.bound,
      q.bound - q.rank,
      q.N * K,
      q.dead,
      `${q.a2} / ${q.active1}`,
      q.refined,
    ]);
    const ev: ReluSweep = { points };
    return {
      figures: [figure.toJSON()],
      summary: {
        "thm9: rank H_o / bound (Theorem 9 one layer, Fact 11 several)": points
          .map((q) => `${q.label}: ${q.rank} / ${q.bound}`)
          .join(", "),
      },
      tables: [
        {
          title: "Theorem 9 / Fact 11: ReLU H_o",
          columns: [
            "inputs",
            "hidden",
            "N",
            "r",
            "p",
            "rank H_o",
            "bound",
            "bound − rank",
            "N·K",
            "dead neurons",
            "A2 neurons / active (layer 1)",
            "Σ_j rk E[α_j xxᵀ] + M̃(K−1)",
          ],
          rows,
        },
      ],
      checks,
      notes: [
        "Corollary 10 (at a minimum, rank H ≤ the same bound) is measured by its own part " +
          "(`singh.cor10`): a ReLU network trained to float64 zero loss on a ReLU teacher's targets.",
      ],
      evidence: { "fact11-relu-Ho-bound": ev, "thm9-A2-mild": ev, "thm9-attained-iff-A2": ev },
    };
  },
});
