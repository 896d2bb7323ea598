/** Fig. 4: low-rank reconstruction error ‖H − H_k‖_F/‖H‖_F of a ReLU network with cross-entropy loss. */
import * as cv from "../../curvature";
import { lineFigure } from "../../figures";
import { PartOutput } from "../parts";
import { part, DATA_READS, baseArgs, sweep } from "./sweeps";
import type { Reconstruction } from "./claims";

export const fig4 = part({
  id: "fig4",
  title: "Fig. 4 — low-rank reconstruction error (ReLU, cross-entropy)",
  reads: [...DATA_READS, "fig4Hidden", "fig4N"],
  async run(o): Promise<PartOutput> {
    const [m] = await sweep(
      "Figure 4 reconstruction",
      [
        {
          ...baseArgs(o),
          hidden: o.fig4Hidden,
          n: o.fig4N,
          activation: "relu",
          bias: false,
          loss: "ce",
          seed: 0,
          parts: ["H"],
          keepSpectra: true,
        },
      ],
      1,
    );
    const errs = cv.reconstructionErrors(m.spectra!.H!);
    const f = Math.min(m.formula.H, errs.length - 1);
    const machine = m.ranks.H!;
    const mags = m.spectra!.H!.map(Math.abs).sort((a, b) => b - a);
    const rec: Reconstruction = {
      f,
      errAtF: errs[f],
      errAt90: errs[Math.ceil(0.9 * f)],
      errAtHalf: errs[Math.ceil(0.5 * f)],
      // ‖H − H_f‖₂/‖H‖₂: the largest eigenvalue left out over the largest
      spectralAtF: f < mags.length && mags[0] > 0 ? mags[f] / mags[0] : 0,
      machineRank: machine,
      p: m.p,
    };
    const figure = lineFigure("fig4-reconstruction-error", {
      title: `Fig. 4 — ‖H − H_k‖_F/‖H‖_F, ReLU [${o.fig4Hidden}], cross-entropy`,
      x: { title: "k (top eigenpairs kept)" },
      y: { title: "relative error", log: true },
      series: [{ name: "ReLU, CE", x: Array.from(errs.keys()), y: Array.from(errs).map((v) => Math.max(v, 1e-17)) }],
      vlines: [
        { x: f, label: `linear formula ${f}` },
        { x: machine, label: `machine-precision rank ${machine}` },
      ],
    });
    return {
      figures: [figure.toJSON()],
      summary: {
        "fig4 error at the formula rank: Frobenius / squared Frobenius / spectral (relative)":
          `${rec.errAtF.toExponential(2)} / ${(rec.errAtF ** 2).toExponential(2)} / ` +
          `${rec.spectralAtF!.toExponential(2)}`,
        "fig4 Frobenius error at 0.5 f / 0.9 f / f":
          `${rec.errAtHalf!.toExponential(2)} / ${rec.errAt90.toExponential(2)} / ` + rec.errAtF.toExponential(2),
        "fig4 formula rank / machine-precision rank / p": `${f} / ${machine} / ${m.p}`,
      },
      evidence: { "fig4-relu-ce-reconstruction": rec },
    };
  },
});
