/** `rankExplorer`: formula vs measured ranks of H, H_o, H_f for any architecture, outside the paper's figures. */
import * as nets from "../../nets";
import { lineFigure, logFloor } from "../../figures";
import { checkOptions, bool, int, listOf, oneOf, seed32 } from "../../util/options";
import { Table, ExperimentResult } from "../../report/result";
import { packageVersion } from "../../cache";
import { IMAGE_SOURCES, ImageSource } from "../data-source";
import { singhSource } from "./sweeps";
import { measure, spectrumGaps, InputTreatment, INPUT_TREATMENTS, Downscale, DOWNSCALES } from "./measure";
import { DEFAULT_INPUTS, DEFAULT_DOWNSCALE } from "./options";

/**
 * Options of `rankExplorer`: hidden widths, samples N, input dimension d, outputs K, bias, activation, loss, data and
 * its pre-processing, seed.
 */
export interface RankExplorerOptions {
  widths: number[];
  N: number;
  d: number;
  K: number;
  bias: boolean;
  activation: nets.Activation;
  loss: nets.LossName;
  source: ImageSource;
  inputs: InputTreatment;
  downscale: Downscale;
  seed: number;
}

/**
 * One call: formula vs measured ranks of H, H_o, H_f for any architecture, with #params, rank
 * deficiency and the spectrum figure. Not cached (it is fast for small networks).
 */
export async function rankExplorer(opts: Partial<RankExplorerOptions> = {}): Promise<ExperimentResult> {
  const EXP = "rank-explorer";
  checkOptions("rankExplorer", opts, {
    widths: listOf(int(1)),
    N: int(1),
    d: int(1),
    K: int(2, 10),
    bias: bool,
    activation: oneOf(nets.ACTIVATIONS),
    loss: oneOf(nets.LOSSES),
    source: oneOf(IMAGE_SOURCES),
    inputs: oneOf(INPUT_TREATMENTS),
    downscale: oneOf(DOWNSCALES),
    seed: seed32,
  });
  const o: RankExplorerOptions = {
    widths: [30, 20],
    N: 200,
    d: 64,
    K: 10,
    bias: false,
    activation: "linear",
    loss: "mse",
    source: "auto",
    inputs: DEFAULT_INPUTS,
    downscale: DEFAULT_DOWNSCALE,
    seed: 0,
    ...opts,
  };
  const t0 = Date.now();
  const m = measure({
    hidden: o.widths,
    n: o.N,
    d: o.d,
    K: o.K,
    activation: o.activation,
    bias: o.bias,
    loss: o.loss,
    init: "glorot-normal",
    seed: o.seed,
    source: singhSource({ source: o.source, cifarDir: null }),
    inputs: o.inputs,
    downscale: o.downscale,
    parts: ["H", "Ho", "Hf"],
    keepSpectra: true,
  });
  const f = m.formula;
  const rows: Table["rows"] = (["H", "Ho", "Hf"] as const).map((part) => {
    const pred = part === "H" ? f.H : part === "Ho" ? f.Ho : (f.Hf ?? null);
    const g = pred ? spectrumGaps(m.spectra![part]!, pred, o.K) : undefined;
    return [
      part,
      m.ranks[part]!,
      pred,
      g ? g.gapAtF : null,
      g ? g.largestGapIndex : null,
      g ? g.largestGap : null,
      g ? g.relativeAtF : null,
      g ? g.reconstructionAtF : null,
    ];
  });
  const fig = lineFigure("explorer-spectrum", {
    title:
      `|eigenvalues| of H, H_o, H_f — [${o.d}, ${o.widths.join(", ")}, ${o.K}] ` +
      `${o.activation}${o.bias ? " + bias" : ""}, ${o.loss}, N = ${o.N}`,
    x: { title: "index (sorted by |λ|)" },
    y: { title: "|λ|", log: true },
    series: (["H", "Ho", "Hf"] as const).map((part, i) => {
      const mags = m.spectra![part]!.map(Math.abs).sort((a, b) => b - a);
      return { name: part, x: mags.map((_, j) => j + 1), y: logFloor(mags), colourIndex: i };
    }),
    vlines: [{ x: f.H, label: `formula rank(H) ${f.H}` }],
  });
  return new ExperimentResult({
    experiment: EXP,
    title: "Rank explorer (Singh et al. formulas vs measured)",
    options: o as unknown as Record<string, unknown>,
    figures: [fig.toJSON()],
    summary: {
      p: m.p,
      r: m.r,
      s: m.s,
      q: f.q,
      "rank H": m.ranks.H!,
      "formula H": f.H,
      "rank deficiency (measured)": m.p - m.ranks.H!,
      data: m.dataDescription,
    },
    tables: [
      {
        title: "formula vs measured",
        columns: [
          "matrix",
          "measured (default tol)",
          "formula f",
          "|λ|_f/|λ|_(f+1)",
          "largest-gap index",
          "largest gap",
          "|λ|_f/λ_max",
          "recon. error at f",
        ],
        rows,
      },
    ],
    checks:
      o.activation === "linear"
        ? [
            {
              name: "measured rank(H) = formula",
              pass: m.ranks.H === f.H,
              detail: `${m.ranks.H} vs ${f.H}${f.HoIsBound ? " (with bias: Fact 13)" : ""}`,
            },
          ]
        : [],
    ledger: [],
    notes:
      o.activation === "linear"
        ? []
        : [
            "Non-linear network: the formulas are those of the linear network of the same widths; the " +
              "spectrum drops at f when the gap ratio at f is large and the largest gap (above the " +
              "float64 noise floor) lies at f.",
          ],
    seconds: (Date.now() - t0) / 1000,
    version: packageVersion(),
  });
}
