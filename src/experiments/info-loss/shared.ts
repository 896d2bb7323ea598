/**
 * What the parts of the Hebbar study share: the part declarer, the facts that hold by construction
 * (unit tests, not ledger claims), Hebbar's Hessian of Σ(f − y)² beside 2GGᵀ, and the 3-D figure layout.
 */
import { Matrix, gemm } from "../../linalg";
import * as cv from "../../curvature";
import { houseLayout } from "../../figures";
import { Check } from "../../report/result";
import { Progress } from "../../progress";
import { mapTasks } from "../../parallel";
import { definePart, PartOutput } from "../parts";
import type { InfoLossOptions } from "./options";
import { SeedBatchArgs, trainSeeds, sweepModule } from "./sweep";

/** Declares one part of the post (its options type checked). */
export const part = definePart<InfoLossOptions>();

/**
 * A part's output and the facts it established that hold by construction or by algebra (manifold
 * dimensions of the toy models, H = 2GGᵀ at a zero-loss minimum, rank G under colliding inputs):
 * the facts are for the unit tests (`infoLossFacts`), not the ledger.
 */
export interface WithFacts {
  output: PartOutput;
  facts: Check[];
}

export function maxAbsDiffOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The Hessian of Hebbar's Σ(f − y)² (CE: Σ over samples), 2GGᵀ and G (p × N·K, behavioral gradients as columns). */
export function hebbarHessian(problem: cv.Problem): { H: Matrix; GGt2: Matrix; G: Matrix } {
  const N = problem.X.rows;
  const { H } = cv.hessian({ ...problem, loss: problem.loss ?? "mse" }, { parts: ["H"] });
  const scale = problem.loss === "ce" ? N : 2 * N; // CE: Σ over samples; MSE: Σ(f − y)² = 2N · mean ½‖·‖²
  const G = cv.behavioralGradients(problem);
  return {
    H: new Matrix(
      H!.rows,
      H!.cols,
      H!.data.map((v) => scale * v),
    ),
    GGt2: gemm(G, G, { transB: true, alpha: 2 }),
    G,
  };
}

/**
 * The house layout for a 3-D parameter-space figure with axes θ₁, θ₂, θ₃. The scene keeps the left 70 %
 * (the legend the right), the camera stands back far enough that every axis title and tick label stays
 * inside the canvas, and the title sits below the top edge (a PNG export clipped both before).
 */
export function scene3d(title: string): Record<string, unknown> {
  const layout = houseLayout({ title, x: { title: "θ₁" }, y: { title: "θ₂" }, width: 860, height: 640 });
  delete layout.xaxis;
  delete layout.yaxis;
  const height = layout.height as number;
  const t = layout.title as Record<string, unknown>;
  const lines = String(t.text).split("<br>").length;
  layout.title = { ...t, y: 1 - 16 / height, yanchor: "top", pad: { t: 4 } };
  layout.margin = { l: 10, r: 10, b: 10, t: 36 + 22 * lines };
  const axis = (text: string) => ({ title: { text }, tickfont: { size: 12 } });
  layout.scene = {
    xaxis: axis("θ₁"),
    yaxis: axis("θ₂"),
    zaxis: axis("θ₃"),
    aspectmode: "cube",
    domain: { x: [0, 0.68], y: [0, 1] },
    camera: { eye: { x: 1.55, y: 1.55, z: 1.05 }, center: { x: 0, y: 0, z: -0.08 } },
  };
  layout.legend = { ...(layout.legend as Record<string, unknown>), x: 0.69, xanchor: "left", y: 0.95, yanchor: "top" };
  return layout;
}

/**
 * The target sets, run side by side: a line through the points (`ys`), a zig-zag (`ysAlt`: by default no zero-loss
 * solution with rank G < k exists at any width) and a valley whose floor two neighbouring inputs share (`ysValley`: the
 * post's colliding example, rank-deficient solutions exist at every width).
 */
export function targetSets(o: Pick<InfoLossOptions, "ys" | "ysAlt" | "ysValley">): { name: string; ys: number[] }[] {
  return [
    { name: "linear targets", ys: o.ys },
    { name: "zig-zag targets", ys: o.ysAlt },
    { name: "valley targets", ys: o.ysValley },
  ];
}

/** One worker task: up to 25 seeds of one network width on one target set. */
export interface SeedTask {
  set: number;
  module: string;
  fn: string;
  args: SeedBatchArgs;
}

/**
 * Trains `seeds` seeds of every width on every target set in the worker pool (25 seeds per task, with
 * progress); `args` holds what the tasks share. Returns the tasks and their results, in the same order.
 */
export async function trainSeedBatches(
  label: string,
  sets: { ys: number[] }[],
  widths: number[],
  seeds: number,
  args: Omit<SeedBatchArgs, "width" | "seeds" | "ys">,
  workers: number,
): Promise<{ tasks: SeedTask[]; results: ReturnType<typeof trainSeeds>[] }> {
  const chunk = 25;
  const tasks: SeedTask[] = [];
  sets.forEach((set, si) => {
    for (const width of widths)
      for (let s0 = 0; s0 < seeds; s0 += chunk) {
        const batch = Array.from({ length: Math.min(chunk, seeds - s0) }, (_, i) => s0 + i);
        tasks.push({
          set: si,
          module: sweepModule,
          fn: "trainSeeds",
          args: { ...args, width, seeds: batch, ys: set.ys },
        });
      }
  });
  const bar = new Progress(label, tasks.length);
  const results = await mapTasks<ReturnType<typeof trainSeeds>>(tasks, { workers, onDone: () => bar.tick() });
  bar.finish();
  return { tasks, results };
}
