/**
 * Figure 1 of the local-rank paper: an MLP trained with Adam (tfjs, float32); at log-spaced steps the
 * float64 parameters go to the engine and the local rank of every layer is measured on a fixed set of
 * evaluation inputs, with the participation ratio (Σσ)²/Σσ² of the same Jacobians' singular values (a
 * threshold-free companion of the absolute-ε local rank).
 */
import { Matrix } from "../../linalg";
import * as nets from "../../nets";
import { trainDense, logSpacedSteps } from "../../training";
import { localRankSensitivity } from "../../metrics";
import { inputJacobianSingularValues } from "../../curvature/jacobian";
import { participationRatio } from "../../linalg";
import { gaussianPairs, loadMnist, takeRows } from "../../data";
import { Rng } from "../../util/random";

export interface MlpRunArgs {
  data: "gaussian" | "mnist";
  hidden: number[];
  n: number;
  steps: number;
  checkpoints: number;
  lr: number;
  evalSamples: number;
  eps: number;
  /** thresholds for the sensitivity curve at the final checkpoint */
  epsList: number[];
  seed: number;
}

export interface MlpRun {
  sizes: number[];
  steps: number[];
  loss: number[];
  /** localRank[c][l]: checkpoint c, layer l (1..L) */
  localRank: number[][];
  /** participation[c][l]: mean over the evaluation inputs of (Σσ)²/Σσ² of the singular values σ of ∂z_l/∂x */
  participation: number[][];
  /** at the final checkpoint: sensitivity[i][l] = local rank of layer l + 1 at epsList[i] */
  sensitivity: number[][];
  backend: string;
}

export async function runMlp(a: MlpRunArgs): Promise<MlpRun> {
  let X: Matrix;
  let Y: Matrix;
  let loss: nets.LossName;
  if (a.data === "gaussian") {
    const ds = gaussianPairs({ n: a.n, dIn: 100, dOut: 2, seed: a.seed });
    X = ds.X;
    Y = ds.Y;
    loss = "mse";
  } else {
    const ds = loadMnist({ n: a.n, seed: a.seed });
    X = ds.X;
    Y = ds.Y;
    loss = "ce";
  }
  const spec: nets.NetSpec = { sizes: [X.cols, ...a.hidden, Y.cols], activation: "relu", bias: true };
  const evalRows = new Rng(a.seed + 7).permutation(X.rows).slice(0, a.evalSamples);
  const Xeval = takeRows({ name: "", X, Y, description: "" }, evalRows).X;
  const stepsAt = logSpacedSteps(a.steps, a.checkpoints);
  const out: MlpRun = { sizes: spec.sizes, steps: [], loss: [], localRank: [], participation: [], sensitivity: [], backend: "" };
  const L = spec.sizes.length - 1;
  // float64 on the native BLAS path: the terminal phase is reached at losses (≈1e-13) float32 cannot resolve
  const res = await trainDense({
    precision: "float64",
    spec, params: nets.initParams(spec, { init: "he", seed: a.seed }), X, Y, loss, optimizer: "adam", lr: a.lr, steps: a.steps, seed: a.seed,
    checkpoints: stepsAt,
    onCheckpoint: (step, params) => {
      out.steps.push(step);
      out.loss.push(require("../../curvature").lossValue({ spec, params, X, Y, loss }));
      // one SVD per input and layer gives both: the local rank exactly as metrics.localRank computes it, and the participation ratio
      const sv = Array.from({ length: L }, (_, l) => inputJacobianSingularValues(spec, params, Xeval, l + 1));
      const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / Math.max(1, v.length);
      out.localRank.push(sv.map((perInput) => mean(perInput.map((s) => s.filter((v) => v > a.eps).length))));
      out.participation.push(sv.map((perInput) => mean(perInput.map((s) => participationRatio(s)))));
    },
  });
  out.backend = res.backend;
  out.sensitivity = localRankSensitivity(spec, res.params, Xeval, a.epsList).localRank;
  return out;
}

export const mlpModule = __filename;
