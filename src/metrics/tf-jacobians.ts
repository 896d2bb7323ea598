/**
 * Per-sample Jacobians of any tfjs model by float32 autodiff, for models the float64 engine does not
 * cover (conv nets): the input–output Jacobians ∇_x f_k(x_i) (one backward pass per output over the
 * whole batch, since samples do not interact) and ‖∇_θ f(x_i)‖²_F (one backward pass per sample and
 * output, so optionally on the first few samples only). The numbers are float32; the singular values downstream are
 * taken in float64.
 * Dense networks should use the exact float64 path (`flatnessMetrics`).
 */
import type * as tfType from "../backend/tf-api";
import { Matrix } from "../linalg";
import { loadTf } from "../backend";
import { JacobianData } from "./flatness";
import { checkOptions, int } from "../util/options";

/**
 * `paramSamples`: compute ‖∇_θ f(x_i)‖²_F for the first this-many inputs only (default all; 0 = none, for a caller that
 * computes them by another route, e.g. `ConvNet.outputGradSqNorms`).
 */
export async function tfJacobianData(
  model: tfType.LayersModel,
  X: Matrix,
  opts: { paramSamples?: number } = {},
): Promise<JacobianData> {
  checkOptions("tfJacobianData", opts, { paramSamples: int(0) });
  const { tf } = await loadTf();
  const inShape = model.inputs[0].shape.slice(1) as number[];
  const d = inShape.reduce((a, b) => a * b, 1);
  if (X.cols !== d)
    throw new Error(
      `tfJacobianData: the model takes inputs of shape [${inShape}] (${d} numbers), but X is ${X.rows}×${X.cols}`,
    );
  const n = X.rows;
  const K = (model.outputs[0].shape as number[])[1];
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tfType.Variable }).val);
  const inputJacobian = new Float64Array(n * K * d);
  const m = Math.min(n, opts.paramSamples ?? n);
  if (!(Number.isInteger(m) && m >= 0))
    throw new Error(`tfJacobianData: paramSamples must be an integer ≥ 0, got ${opts.paramSamples}`);
  const paramSqNorm = new Float64Array(m);
  const Xt = tf.tensor(Float32Array.from(X.data), [n, ...inShape]);
  try {
    for (let k = 0; k < K; k++) {
      const g = tf.tidy(() =>
        tf
          .grad((x: tfType.Tensor) => tf.sum(tf.slice(model.apply(x) as tfType.Tensor2D, [0, k], [n, 1])))(Xt)
          .dataSync(),
      );
      for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) inputJacobian[(i * K + k) * d + t] = g[i * d + t];
    }
    for (let i = 0; i < m; i++) {
      const xi = tf.slice(Xt, [i], [1]);
      for (let k = 0; k < K; k++) {
        const sq = tf.tidy(() => {
          const { grads } = tf.variableGrads(
            () => tf.reshape(tf.slice(model.apply(xi) as tfType.Tensor2D, [0, k], [1, 1]), []) as tfType.Scalar,
            vars,
          );
          return tf.addN(Object.values(grads).map((gr) => tf.sum(tf.square(gr))));
        });
        paramSqNorm[i] += sq.dataSync()[0];
        sq.dispose();
      }
      xi.dispose();
    }
  } finally {
    Xt.dispose();
  }
  return { n, K, d, inputJacobian, paramSqNorm };
}
