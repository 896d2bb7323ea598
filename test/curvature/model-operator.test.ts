/**
 * The curvature of tfjs models (`modelOperator`) against independent float64 references: the float64
 * engine's operators on the same dense network (parameters permuted from tfjs's layout), and a conv net
 * written by hand in float64 (forward, gradient, Jacobian–vector product) for the conv model.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type * as tfType from "../../src/backend/tf-api";
import * as cv from "../../src/curvature";
import * as nets from "../../src/nets";
import { Matrix, eigvalsh } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { loadTf } from "../../src/backend";

type Tf = typeof tfType;

const f32 = (a: ArrayLike<number>) => Float64Array.from(Float32Array.from(a));
const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
/** max over rows of ‖A_row − B_row‖ / (‖M‖₂ ‖v_row‖): the error relative to the matrix norm */
function relError(A: Matrix, B: Matrix, V: Matrix, matrixNorm: number): number {
  let worst = 0;
  for (let r = 0; r < A.rows; r++) {
    const row = (M: Matrix) => M.data.subarray(r * M.cols, (r + 1) * M.cols);
    const d = norm(row(A).map((x, i) => x - row(B)[i]));
    worst = Math.max(worst, d / (matrixNorm * norm(row(V))));
  }
  return worst;
}
const spectralNorm = (A: Matrix) => Math.max(...Array.from(eigvalsh(A), Math.abs));

// ---------------------------------------------------------------- dense: tfjs model from a NetSpec vs the float64
// engine
const spec: nets.NetSpec = { sizes: [4, 6, 5, 3], activation: "relu", bias: true };
const N = 20;

function denseSetup(tf: Tf, loss: "mse" | "ce") {
  const params = nets.initParams(spec, { seed: 1 });
  nets.layout(spec).forEach((s) => {
    for (let j = 0; j < s.rows; j++) params[s.bOffset + j] = 0.1 * (j - 1.5);
  });
  const exactParams = f32(params); // what the float32 model holds, so both sides differentiate the same point
  const rng = new Rng(5);
  const X = new Matrix(N, 4, f32(rng.normals(N * 4)));
  const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 3);
  const Y =
    loss === "mse"
      ? new Matrix(N, 3, f32(rng.normals(N * 3)))
      : new Matrix(
          N,
          3,
          Float64Array.from({ length: N * 3 }, (_, t) => (labels[Math.floor(t / 3)] === t % 3 ? 1 : 0)),
        );
  const model = nets.toTfModel(tf, spec, exactParams);
  const problem: cv.Problem = { spec, params: exactParams, X, Y, loss };
  const data = { x: tf.tensor2d(Float32Array.from(X.data), [N, 4]), y: tf.tensor2d(Float32Array.from(Y.data), [N, 3]) };
  // perm[engine index] = index in θ of the tfjs model: tfjs kernels are [in, out], the engine's W_l is [out, in]
  // row-major
  const layoutTf = cv.modelWeightLayout(model);
  const p = nets.paramCount(spec);
  const perm = new Int32Array(p);
  nets.layout(spec).forEach((s, l) => {
    const kernel = layoutTf[2 * l];
    const bias = layoutTf[2 * l + 1];
    for (let j = 0; j < s.rows; j++)
      for (let i = 0; i < s.cols; i++) {
        const t = kernel.offset + i * s.rows + j;
        perm[s.wOffset + j * s.cols + i] = t;
      }
    for (let j = 0; j < s.rows; j++) perm[s.bOffset + j] = bias.offset + j;
  });
  const toTf = (V: Matrix) => {
    const out = new Matrix(V.rows, p);
    for (let r = 0; r < V.rows; r++) for (let i = 0; i < p; i++) out.data[r * p + perm[i]] = V.data[r * p + i];
    return out;
  };
  const toEngine = (V: Matrix) => {
    const out = new Matrix(V.rows, p);
    for (let r = 0; r < V.rows; r++) for (let i = 0; i < p; i++) out.data[r * p + i] = V.data[r * p + perm[i]];
    return out;
  };
  assert.deepEqual(cv.tfModelPermutation(spec), perm);
  return { model, problem, data, perm, p, toTf, toEngine };
}

/** whether the sign pattern of every hidden pre-activation stays the same for θ + t v, |t| ≤ tMax (float64, sampled) */
function crossesKink(problem: cv.Problem, v: Float64Array, tMax: number): boolean {
  const signs = (t: number) => {
    const th = problem.params.map((x, i) => x + t * v[i]);
    const cache = nets.forward(problem.spec, th, problem.X);
    return cache.Z.slice(1, -1)
      .map((Z) => Array.from(Z.data, (z) => (z > 0 ? 1 : 0)).join(""))
      .join("|");
  };
  const ref = signs(0);
  for (let k = -40; k <= 40; k++) if (signs((k / 40) * tMax) !== ref) return true;
  return false;
}

describe("modelOperator on a dense tfjs model equals the float64 engine", () => {
  it(
    "Hessian and GGN, mse and ce, autodiff and central differences, to float32 precision " + "(error < 1e-4 · ‖A‖ ‖v‖)",
    async (t) => {
      const { tf } = await loadTf();
      for (const loss of ["mse", "ce"] as const) {
        const { model, problem, data, p, toTf, toEngine } = denseSetup(tf, loss);
        // the layout helpers: entry (i, j) of layer 1's kernel is W_1[j, i]
        assert.deepEqual(cv.locateParameter(model, 4 + 2), {
          weight: model.trainableWeights[0].name,
          layer: model.layers[0].name,
          index: [1, 0],
        });
        assert.deepEqual(
          cv.modelLayerIndices(model, 1),
          Array.from({ length: 35 }, (_, i) => 30 + i),
        );
        assert.deepEqual(cv.modelLayerIndices(model, model.layers[2].name, { weight: "bias" }), [80, 81, 82]);
        const V = new Matrix(4, p, new Rng(11).normals(4 * p));
        const H = cv.hessian(problem, { parts: ["H", "Ho"] });
        for (const kind of ["hessian", "ggn"] as const) {
          const ref = cv.curvatureOperator(problem, kind).apply(V);
          const scale = spectralNorm(kind === "hessian" ? H.H! : H.Ho!);
          for (const method of ["autodiff", "central-difference"] as const) {
            const op = await cv.modelOperator(model, data, { loss, kind, method });
            assert.equal(op.p, p);
            const got = toEngine(op.apply(toTf(V)));
            const err = relError(got, ref, V, scale);
            t.diagnostic(
              `${loss} ${kind} ${method}: error / (‖A‖‖v‖) = ` +
                (String(err.toExponential(2)) +
                  String(
                    op.info.errorEstimate !== undefined
                      ? `, info.errorEstimate ${op.info.errorEstimate.toExponential(2)}, h ` +
                          `${op.info.h!.toExponential(2)}`
                      : "",
                  )),
            );
            if (method === "central-difference") {
              assert.equal(op.info.method, "central-difference");
              assert.deepEqual(op.info.frozenLayers, [model.layers[0].name, model.layers[1].name]);
              assert.ok(
                Math.abs(op.info.h! - cv.FLOAT32_RELATIVE_STEP * Math.max(1, norm(problem.params))) < 1e-6 * op.info.h!,
                `h ${op.info.h}`,
              );
              assert.ok(op.info.errorEstimate! < 1e-3, `error estimate ${op.info.errorEstimate}`);
            } else assert.equal(op.info.errorEstimate, undefined);
            assert.ok(err < 1e-4, `${loss} ${kind} ${method}: relative error ${err}`);
          }
        }
        model.dispose();
        data.x.dispose();
        data.y.dispose();
      }
    },
  );

  it(
    "central differences hold the relu pattern fixed at θ: exact where a free step crosses a " +
      "kink (and is far off)",
    async (t) => {
      const { tf } = await loadTf();
      const { model, problem, data, p, toTf, toEngine } = denseSetup(tf, "mse");
      const V = new Matrix(4, p, new Rng(11).normals(4 * p));
      const ref = cv.curvatureOperator(problem).apply(V);
      const scale = spectralNorm(cv.hessian(problem, { parts: ["H"] }).H!);
      const frozen = await cv.modelOperator(model, data, { method: "central-difference" });
      const free = await cv.modelOperator(model, data, { method: "central-difference", freezePattern: false });
      const errFrozen = relError(toEngine(frozen.apply(toTf(V))), ref, V, scale);
      const errFree = relError(toEngine(free.apply(toTf(V))), ref, V, scale);
      const crossing = Array.from({ length: V.rows }, (_, r) => V.data.subarray(r * p, (r + 1) * p)).filter((v) =>
        crossesKink(problem, v, frozen.info.h! / norm(v)),
      ).length;
      t.diagnostic(
        `${crossing} of 4 steps cross a relu kink; error frozen ${errFrozen.toExponential(2)} ` +
          `(estimate ${frozen.info.errorEstimate!.toExponential(2)}), free ` +
          `${errFree.toExponential(2)} (estimate ${free.info.errorEstimate!.toExponential(2)})`,
      );
      assert.ok(crossing > 0, "precondition: some step crosses a kink");
      assert.ok(errFrozen < 1e-4, `frozen ${errFrozen}`);
      assert.ok(errFree > 1e-2, `free ${errFree}`);
      assert.deepEqual(free.info.frozenLayers, []);
      // the layers are restored after the products: tfjs's own relu again
      assert.equal(
        (model.layers[0] as unknown as { activation: { getClassName(): string } }).activation.getClassName(),
        "relu",
      );
      model.dispose();
    },
  );

  it(
    "auto picks central differences for tanh and leaky-relu nets (LeakyReLU layers frozen): " +
      "the whole Hessian equals the engine's to 1e-3",
    async (t) => {
      const { tf } = await loadTf();
      for (const activation of ["tanh", "leaky-relu"] as const) {
        const s: nets.NetSpec = { sizes: [4, 6, 5, 3], activation, bias: true };
        const params = f32(nets.initParams(s, { seed: 4 }));
        const rng = new Rng(6);
        const X = new Matrix(N, 4, f32(rng.normals(N * 4)));
        const Y = new Matrix(N, 3, f32(rng.normals(N * 3)));
        const model = nets.toTfModel(tf, s, params);
        const data = {
          x: tf.tensor2d(Float32Array.from(X.data), [N, 4]),
          y: tf.tensor2d(Float32Array.from(Y.data), [N, 3]),
        };
        const problem: cv.Problem = { spec: s, params, X, Y, loss: "mse" };
        const H = cv.hessian(problem, { parts: ["H"] }).H!;
        const op = await cv.modelOperator(model, data);
        assert.equal(op.info.method, "central-difference");
        if (activation === "tanh") {
          assert.match(
            op.info.reason,
            /no reliable second derivatives for layer "dense_Dense\d+" \(Dense with activation tanh\)/,
          );
          assert.deepEqual(op.info.frozenLayers, []);
        } else {
          assert.match(op.info.reason, /\(LeakyReLU\)/);
          assert.deepEqual(
            op.info.frozenLayers,
            model.layers.filter((l) => l.getClassName() === "LeakyReLU").map((l) => l.name),
          );
          assert.equal(op.info.frozenLayers!.length, 2);
        }
        // the dense Hessian, column by column, through the permutation of θ
        const p = op.p;
        const perm = cv.tfModelPermutation(s);
        const E = new Matrix(p, p);
        for (let i = 0; i < p; i++) E.data[i * p + perm[i]] = 1;
        const A = op.apply(E);
        let d = 0;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) d += (A.data[i * p + perm[j]] - H.get(i, j)) ** 2;
        const err = Math.sqrt(d) / Math.sqrt(H.data.reduce((a, x) => a + x * x, 0));
        t.diagnostic(
          `${activation}: ‖H_model − H_engine‖_F / ‖H_engine‖_F = ${err.toExponential(2)}, ` +
            `info.errorEstimate ${op.info.errorEstimate!.toExponential(2)}`,
        );
        // unit vectors put the whole step into one weight, so truncation dominates (error ∝ h², ≈ 3e-4 for tanh): 1e-3,
        // and the error estimate (h against 2h) sees it
        assert.ok(err < 1e-3, `${activation}: ${err}`);
        assert.ok(op.info.errorEstimate! > err / 10, `error estimate ${op.info.errorEstimate} for an error ${err}`);
        model.dispose();
      }
    },
  );

  it(
    "accumulates over mini-batches: batchSize 7 on N = 20 equals the full batch, with " + "progress reported",
    async (t) => {
      const { tf } = await loadTf();
      const { model, data, p } = denseSetup(tf, "ce");
      const V = new Matrix(2, p, new Rng(12).normals(2 * p));
      for (const method of ["autodiff", "central-difference"] as const)
        for (const kind of ["hessian", "ggn"] as const) {
          const full = (await cv.modelOperator(model, data, { loss: "ce", kind, method })).apply(V);
          const calls: [number, number][] = [];
          const op = await cv.modelOperator(model, data, {
            loss: "ce",
            kind,
            method,
            batchSize: 7,
            onBatch: (d, n) => calls.push([d, n]),
          });
          assert.equal(op.info.batches, 3);
          const batched = op.apply(V);
          const err = norm(batched.data.map((x, i) => x - full.data[i])) / norm(full.data);
          t.diagnostic(`${kind} ${method}: ‖batched − full‖ / ‖full‖ = ${err.toExponential(2)}`);
          assert.ok(err < 2e-5, `${kind} ${method}: batched vs full ${err}`);
          assert.deepEqual(calls, [
            [1, 3],
            [2, 3],
            [3, 3],
          ]);
          // a single-batch operator differs: the mini-batches are really summed, not the first one used
          const firstOnly = await cv.modelOperator(
            model,
            { x: tf.slice(data.x, 0, 7), y: tf.slice(data.y, 0, 7) },
            { loss: "ce", kind, method },
          );
          const other = firstOnly.apply(V);
          assert.ok(norm(other.data.map((x, i) => x - full.data[i])) > 0.05 * norm(full.data));
        }
      model.dispose();
    },
  );

  it("hutchinsonTrace and ritzPairs on the operator match the engine's trace and top eigenvalue", async (t) => {
    const { tf } = await loadTf();
    const { model, problem, data, perm, p } = denseSetup(tf, "mse");
    const op = await cv.modelOperator(model, data); // auto: autodiff for a relu dense net
    assert.equal(op.info.method, "autodiff");
    assert.match(op.info.reason, /^auto: every layer/);
    const H = cv.hessian(problem, { parts: ["H"] }).H!;
    const ev = eigvalsh(H);
    let trace = 0;
    for (let i = 0; i < p; i++) trace += H.get(i, i);
    // the same probes in the engine's coordinates: the model operator seen through the permutation
    const inEngineOrder: cv.SymmetricOperator = {
      p,
      block: op.block,
      apply: (V) => {
        const W = new Matrix(V.rows, p);
        for (let r = 0; r < V.rows; r++) for (let i = 0; i < p; i++) W.data[r * p + perm[i]] = V.data[r * p + i];
        const A = op.apply(W);
        const out = new Matrix(V.rows, p);
        for (let r = 0; r < V.rows; r++) for (let i = 0; i < p; i++) out.data[r * p + i] = A.data[r * p + perm[i]];
        return out;
      },
    };
    const ours = cv.hutchinsonTrace(inEngineOrder, { samples: 40, seed: 3 });
    const engine = cv.hutchinsonTrace(cv.curvatureOperator(problem), { samples: 40, seed: 3 });
    const scale = Math.max(...Array.from(ev, Math.abs));
    t.diagnostic(
      `trace: exact ${trace.toPrecision(8)}, Hutchinson model ${ours.trace.toPrecision(8)} ± ` +
        `${ours.stderr.toPrecision(2)}, engine ${engine.trace.toPrecision(8)}`,
    );
    assert.ok(
      Math.abs(ours.trace - engine.trace) < 1e-5 * p * scale,
      `Hutchinson, same probes: ${ours.trace} vs ${engine.trace}`,
    );
    assert.ok(
      Math.abs(ours.trace - trace) < 4 * ours.stderr + 1e-9,
      `Hutchinson vs exact trace ${trace}: ${ours.trace} ± ${ours.stderr}`,
    );
    const top = cv.ritzPairs(op, 2, { steps: p });
    const exactTop = Array.from(ev).sort((a, b) => b - a);
    t.diagnostic(
      `top eigenvalues: model ${Array.from(top.values, (v) => v.toPrecision(8))}, exact ` +
        `${exactTop.slice(0, 2).map((v) => v.toPrecision(8))}, residuals ` +
        `${Array.from(top.residuals, (r) => r.toExponential(1))}`,
    );
    for (let i = 0; i < 2; i++)
      assert.ok(Math.abs(top.values[i] - exactTop[i]) < 1e-5 * scale, `θ${i + 1} ${top.values[i]} vs ${exactTop[i]}`);
    for (const r of top.residuals) assert.ok(r < 1e-4 * scale, `residual ${r}`);
    // central differences give the same spectrum to float32 precision
    const cd = await cv.modelOperator(model, data, { method: "central-difference" });
    const topCd = cv.ritzPairs(cd, 1, { steps: 40 });
    assert.ok(
      Math.abs(topCd.values[0] - exactTop[0]) < 1e-4 * scale,
      `central differences θ1 ${topCd.values[0]} vs ${exactTop[0]}`,
    );
    model.dispose();
  });

  it(
    "restores the weights bit for bit after every product, also when a product throws, and " + "leaks no tensors",
    async () => {
      const { tf } = await loadTf();
      const { model, data, p } = denseSetup(tf, "ce");
      const bits = () =>
        model.trainableWeights
          .map((w) => Buffer.from((w.read().dataSync() as Float32Array).buffer).toString("hex"))
          .join(",");
      const before = bits();
      const V = new Matrix(2, p, new Rng(13).normals(2 * p));
      for (const method of ["autodiff", "central-difference"] as const)
        for (const kind of ["hessian", "ggn"] as const) {
          const op = await cv.modelOperator(model, data, { loss: "ce", kind, method, batchSize: 9 });
          op.apply(V);
          const tensors = tf.memory().numTensors;
          op.apply(V);
          assert.equal(tf.memory().numTensors, tensors, `${kind} ${method}: tensors leaked`);
          assert.equal(bits(), before, `${kind} ${method}: weights changed`);
          const failing = await cv.modelOperator(model, data, {
            loss: "ce",
            kind,
            method,
            batchSize: 9,
            onBatch: () => {
              throw new Error("stop");
            },
          });
          assert.throws(() => failing.apply(V), /stop/);
          assert.equal(bits(), before, `${kind} ${method}: weights changed by a product that threw`);
        }
      assert.deepEqual(cv.modelParameters(model), cv.modelParameters(model));
      model.dispose();
    },
  );

  it("refuses bad options and data with clear messages", async () => {
    const { tf } = await loadTf();
    const { model, data } = denseSetup(tf, "mse");
    await assert.rejects(
      cv.modelOperator(model, data, { kind: "fisher" as never }),
      /modelOperator: option kind must be one of "hessian", "ggn"/,
    );
    await assert.rejects(
      cv.modelOperator(model, { x: data.x, y: tf.zeros([20, 4]) }),
      /the model has K = 3 outputs, but data.y is \[20,4\]/,
    );
    await assert.rejects(
      cv.modelOperator(model, { x: tf.zeros([20, 5]), y: data.y }),
      /the model takes inputs of shape \[4\], but data.x is \[20,5\]/,
    );
    await assert.rejects(
      cv.modelOperator(model, { x: data.x, y: tf.zeros([20], "int32") }),
      /integer labels .* need loss "ce"/,
    );
    const op = await cv.modelOperator(model, data);
    assert.throws(() => op.apply(new Matrix(1, 5)), /vectors must have p = 83 entries, got 5/);
    assert.throws(() => cv.modelLayerIndices(model, "nope"), /no layer named "nope"; layers: /);
    model.dispose();
  });
});

// ---------------------------------------------------------------- conv: tfjs conv2d model vs the same net by hand in
// float64
// conv2d 3×3 (valid), 2 filters, on 6×6×1 inputs, relu, flatten (4·4·2 = 32, index (i·4 + j)·2 + o), dense 3.
// θ in tfjs order: kernel [3, 3, 1, 2] (18), conv bias (2), dense kernel [32, 3] (96), dense bias (3): p = 119.
const CONV = { n: 8, p: 119, K: 3 };
const oK = (r: number, s: number, o: number) => (r * 3 + s) * 2 + o;
const oBc = 18;
const oW = (q: number, k: number) => 20 + q * 3 + k;
const oBd = 116;

interface ConvRef {
  x: Float64Array; // n × 36
  Y: Float64Array; // n × 3 (one-hot for ce)
  loss: "mse" | "ce";
}

function convForward(th: Float64Array, x: Float64Array, n: number) {
  const z = new Float64Array(32);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      for (let o = 0; o < 2; o++) {
        let s = th[oBc + o];
        for (let r = 0; r < 3; r++)
          for (let c = 0; c < 3; c++) s += x[n * 36 + (i + r) * 6 + (j + c)] * th[oK(r, c, o)];
        z[(i * 4 + j) * 2 + o] = s;
      }
  const a = z.map((v) => Math.max(v, 0));
  const f = new Float64Array(3);
  for (let k = 0; k < 3; k++) {
    let s = th[oBd + k];
    for (let q = 0; q < 32; q++) s += a[q] * th[oW(q, k)];
    f[k] = s;
  }
  return { z, a, f };
}

/** adds Jᵀ e for sample n (e the output adjoint) to g */
function convBackprop(
  th: Float64Array,
  x: Float64Array,
  n: number,
  fw: ReturnType<typeof convForward>,
  e: Float64Array,
  g: Float64Array,
) {
  for (let k = 0; k < 3; k++) {
    g[oBd + k] += e[k];
    for (let q = 0; q < 32; q++) g[oW(q, k)] += fw.a[q] * e[k];
  }
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      for (let o = 0; o < 2; o++) {
        const q = (i * 4 + j) * 2 + o;
        if (fw.z[q] <= 0) continue;
        let d = 0;
        for (let k = 0; k < 3; k++) d += th[oW(q, k)] * e[k];
        g[oBc + o] += d;
        for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) g[oK(r, c, o)] += d * x[n * 36 + (i + r) * 6 + (j + c)];
      }
}

const softmax = (f: Float64Array) => {
  const m = Math.max(...f);
  const e = f.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

function convGradient(ref: ConvRef, th: Float64Array): Float64Array {
  const g = new Float64Array(CONV.p);
  for (let n = 0; n < CONV.n; n++) {
    const fw = convForward(th, ref.x, n);
    const y = ref.Y.subarray(n * 3, n * 3 + 3);
    const pr = softmax(fw.f);
    const e = fw.f.map((f, k) => (ref.loss === "mse" ? f - y[k] : pr[k] - y[k]) / CONV.n);
    convBackprop(th, ref.x, n, fw, e, g);
  }
  return g;
}

/** exact Gauss–Newton product Σ_n J_nᵀ Λ_n J_n v / N, J_n v by forward-mode differentiation */
function convGgn(ref: ConvRef, th: Float64Array, v: Float64Array): Float64Array {
  const g = new Float64Array(CONV.p);
  for (let n = 0; n < CONV.n; n++) {
    const fw = convForward(th, ref.x, n);
    const df = new Float64Array(3);
    for (let k = 0; k < 3; k++) df[k] = v[oBd + k];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        for (let o = 0; o < 2; o++) {
          const q = (i * 4 + j) * 2 + o;
          let dz = v[oBc + o];
          for (let r = 0; r < 3; r++)
            for (let c = 0; c < 3; c++) dz += ref.x[n * 36 + (i + r) * 6 + (j + c)] * v[oK(r, c, o)];
          const da = fw.z[q] > 0 ? dz : 0;
          for (let k = 0; k < 3; k++) df[k] += da * th[oW(q, k)] + fw.a[q] * v[oW(q, k)];
        }
    let e: Float64Array;
    if (ref.loss === "mse") e = df.map((u) => u / CONV.n);
    else {
      const pr = softmax(fw.f);
      const pu = pr.reduce((s, pk, k) => s + pk * df[k], 0);
      e = pr.map((pk, k) => (pk * df[k] - pk * pu) / CONV.n);
    }
    convBackprop(th, ref.x, n, fw, e, g);
  }
  return g;
}

/** float64 Hessian–vector product by a central difference of the exact gradient with a tiny step (1e-6 relative) */
function convHessian(ref: ConvRef, th: Float64Array, v: Float64Array): Float64Array {
  const eps = (1e-6 * Math.max(1, norm(th))) / norm(v);
  const gp = convGradient(
    ref,
    th.map((t, i) => t + eps * v[i]),
  );
  const gm = convGradient(
    ref,
    th.map((t, i) => t - eps * v[i]),
  );
  return gp.map((g, i) => (g - gm[i]) / (2 * eps));
}

/** the largest |t| step along v that crosses no relu kink of the conv layer (its pre-activations are affine in θ) */
function convKinkDistance(ref: ConvRef, th: Float64Array, v: Float64Array): number {
  let best = Infinity;
  for (let n = 0; n < CONV.n; n++) {
    const fw = convForward(th, ref.x, n);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        for (let o = 0; o < 2; o++) {
          let dz = v[oBc + o];
          for (let r = 0; r < 3; r++)
            for (let c = 0; c < 3; c++) dz += ref.x[n * 36 + (i + r) * 6 + (j + c)] * v[oK(r, c, o)];
          best = Math.min(best, Math.abs(fw.z[(i * 4 + j) * 2 + o]) / Math.abs(dz));
        }
  }
  return best;
}

async function convSetup(tf: Tf, loss: "mse" | "ce") {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1], activation: "relu", name: `conv-${loss}` }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, name: `out-${loss}` }),
    ],
  });
  const rng = new Rng(21);
  const th = f32([...rng.normals(18, 0.5), 0.1, -0.05, ...rng.normals(96, 0.25), 0.05, -0.1, 0.02]);
  let o = 0;
  model.setWeights(
    model.trainableWeights.map((w) => {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const t = tf.tensor(Float32Array.from(th.subarray(o, o + size)), shape);
      o += size;
      return t;
    }),
  );
  const x = f32(rng.normals(CONV.n * 36));
  const labels = Int32Array.from({ length: CONV.n }, (_, i) => (i * 5) % 3);
  const Y =
    loss === "ce"
      ? Float64Array.from({ length: CONV.n * 3 }, (_, t) => (labels[Math.floor(t / 3)] === t % 3 ? 1 : 0))
      : f32(rng.normals(CONV.n * 3));
  const data = {
    x: tf.tensor4d(Float32Array.from(x), [CONV.n, 6, 6, 1]),
    y: loss === "ce" ? tf.tensor1d(labels, "int32") : tf.tensor2d(Float32Array.from(Y), [CONV.n, 3]),
  };
  const ref: ConvRef = { x, Y, loss };
  return { model, th, data, ref, labels, Y };
}

describe("modelOperator on a conv net equals a float64 conv net written by hand", () => {
  it("the hand-written float64 net is the tfjs model (outputs and gradient)", async () => {
    const { tf } = await loadTf();
    const { model, th, data, ref } = await convSetup(tf, "ce");
    assert.deepEqual(cv.modelParameters(model), th);
    const out = tf.tidy(() => (model.predict(data.x) as tfType.Tensor).dataSync());
    for (let n = 0; n < CONV.n; n++)
      convForward(th, ref.x, n).f.forEach((f, k) => assert.ok(Math.abs(f - out[n * 3 + k]) < 1e-5, `output ${n},${k}`));
    model.dispose();
  });

  it(
    "central-difference Hessian and GGN products agree with the float64 references; autodiff " +
      "is refused with a clear error and auto falls back",
    async (t) => {
      const { tf } = await loadTf();
      for (const loss of ["ce", "mse"] as const) {
        const { model, th, data, ref } = await convSetup(tf, loss);
        await assert.rejects(
          cv.modelOperator(model, data, { loss, method: "autodiff" }),
          new RegExp(
            `method "autodiff" is not available for this model: tfjs has no reliable second ` +
              `derivatives for layer "conv-${loss}" \\(Conv2D\\)`,
          ),
        );
        const V = new Matrix(3, CONV.p, new Rng(31).normals(3 * CONV.p));
        for (const kind of ["hessian", "ggn"] as const) {
          const op = await cv.modelOperator(model, data, { loss, kind }); // auto
          assert.equal(op.info.method, "central-difference");
          assert.match(op.info.reason, /auto: tfjs has no reliable second derivatives for layer "conv-.*" \(Conv2D\)/);
          const got = op.apply(V);
          const product = (v: Float64Array) => (kind === "hessian" ? convHessian(ref, th, v) : convGgn(ref, th, v));
          const want = new Matrix(V.rows, CONV.p);
          for (let r = 0; r < V.rows; r++)
            want.data.set(product(V.data.subarray(r * CONV.p, (r + 1) * CONV.p)), r * CONV.p);
          const dense = new Matrix(CONV.p, CONV.p);
          for (let i = 0; i < CONV.p; i++)
            dense.data.set(product(Float64Array.from({ length: CONV.p }, (_, j) => (j === i ? 1 : 0))), i * CONV.p);
          for (let i = 0; i < CONV.p; i++)
            for (let j = 0; j < i; j++)
              dense.data[i * CONV.p + j] = dense.data[j * CONV.p + i] =
                (dense.data[i * CONV.p + j] + dense.data[j * CONV.p + i]) / 2;
          const err = relError(got, want, V, spectralNorm(dense));
          t.diagnostic(
            `conv ${loss} ${kind}: error / (‖A‖‖v‖) = ${err.toExponential(2)}, info.errorEstimate ` +
              `${op.info.errorEstimate!.toExponential(2)}, h ${op.info.h!.toExponential(2)}`,
          );
          const crossing = Array.from({ length: V.rows }, (_, r) =>
            V.data.subarray(r * CONV.p, (r + 1) * CONV.p),
          ).filter((v) => convKinkDistance(ref, th, v) < op.info.h! / norm(v)).length;
          t.diagnostic(
            `conv ${loss} ${kind}: ${crossing} of ${V.rows} steps ±h cross a relu kink (the pattern ` +
              `is frozen: ${op.info.frozenLayers})`,
          );
          assert.deepEqual(op.info.frozenLayers, [`conv-${loss}`]);
          assert.ok(err < 1e-4, `conv ${loss} ${kind}: relative error ${err}`);
        }
        {
          // a 10× larger step crosses kinks of the conv layer; the frozen pattern keeps the product on the reference
          const op = await cv.modelOperator(model, data, { loss, relativeStep: 10 * cv.FLOAT32_RELATIVE_STEP });
          const got = op.apply(V);
          const crossing = Array.from({ length: V.rows }, (_, r) =>
            V.data.subarray(r * CONV.p, (r + 1) * CONV.p),
          ).filter((v) => convKinkDistance(ref, th, v) < op.info.h! / norm(v)).length;
          const free = (
            await cv.modelOperator(model, data, {
              loss,
              relativeStep: 10 * cv.FLOAT32_RELATIVE_STEP,
              freezePattern: false,
            })
          ).apply(V);
          const want = new Matrix(V.rows, CONV.p);
          for (let r = 0; r < V.rows; r++)
            want.data.set(convHessian(ref, th, V.data.subarray(r * CONV.p, (r + 1) * CONV.p)), r * CONV.p);
          const e1 = norm(got.data.map((x, i) => x - want.data[i])) / norm(want.data);
          const e2 = norm(free.data.map((x, i) => x - want.data[i])) / norm(want.data);
          t.diagnostic(
            `conv ${loss} hessian, step 10h: ${crossing} of ${V.rows} steps cross a kink; relative ` +
              `error frozen ${e1.toExponential(2)}, free ${e2.toExponential(2)}`,
          );
          assert.ok(crossing > 0, "precondition: a step crosses a kink");
          assert.ok(e1 < 5e-3, `frozen pattern, step 10h: ${e1} (truncation only)`);
          assert.ok(e2 > 0.1, `free pattern, step 10h: ${e2}`);
        }
        if (loss === "ce") {
          // integer labels and their one-hot rows give the same operator
          const oneHot = await cv.modelOperator(
            model,
            { x: data.x, y: tf.oneHot(data.y as tfType.Tensor1D, 3) },
            { loss },
          );
          const a = oneHot.apply(V);
          const b = (await cv.modelOperator(model, data, { loss })).apply(V);
          assert.ok(norm(a.data.map((x, i) => x - b.data[i])) < 1e-6 * norm(b.data));
          // blocks of one layer: the conv layer's 20 parameters
          const idx = cv.modelLayerIndices(model, "conv-ce");
          assert.deepEqual(
            idx,
            Array.from({ length: 20 }, (_, i) => i),
          );
          const block = cv.blockOperator(await cv.modelOperator(model, data, { loss }), idx);
          const e0 = new Matrix(
            1,
            20,
            Float64Array.from({ length: 20 }, (_, i) => (i === 0 ? 1 : 0)),
          );
          const col = block.apply(e0).data;
          const full = convHessian(
            ref,
            th,
            Float64Array.from({ length: CONV.p }, (_, i) => (i === 0 ? 1 : 0)),
          );
          assert.ok(norm(col.map((x, i) => x - full[i])) < 1e-3 * norm(full.subarray(0, 20)), "block column");
        }
        model.dispose();
      }
    },
  );
});
