import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type * as tfType from "../../src/backend/tf-api";
import { trainConv, trainModel, ConvStepper, vggParams, setVggParams, vggParamCount } from "../../src/training";
import { nativeBlas } from "../../src/training/native";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { loadTf } from "../../src/backend";

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};
const maxAbs = (a: ArrayLike<number>) => maxDiff(a, new Float64Array(a.length));

// small VGG-style nets: odd sizes so the pools floor, padding 2 (Chen's) and 1, two channels in
const SPECS: nets.VggSpec[] = [
  { inputShape: [7, 7, 2], layers: [3, "M", 4, "M"], hidden: [5], outputs: 3 },
  { inputShape: [6, 5, 1], layers: [2, 3, "M"], hidden: [], outputs: 2, padding: 1 },
];

function data(spec: nets.VggSpec, N: number, seed: number) {
  const d = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  const r = new Rng(seed);
  return { X: new Matrix(N, d, r.normals(N * d)), Y: new Matrix(N, spec.outputs, r.normals(N * spec.outputs)) };
}

const blas = nativeBlas();

describe("native conv training (im2col + BLAS)", { skip: blas ? false : "the LAPACK addon is not loaded" }, () => {
  it("im2col and col2im are adjoint, and im2col matches the patches read directly", () => {
    const [B, H, W, C, k, pad] = [2, 5, 4, 3, 3, 2];
    const Ho = H + 2 * pad - k + 1;
    const Wo = W + 2 * pad - k + 1;
    const r = new Rng(9);
    const X = Float64Array.from(r.normals(B * H * W * C));
    const cols = new Float64Array(B * Ho * Wo * k * k * C);
    blas!.im2col(X, B, H, W, C, k, pad, cols);
    // direct: row (b, i, j), column (di, dj, c) reads X[b, i+di-pad, j+dj-pad, c] or 0 outside
    let worst = 0;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++)
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++)
              for (let c = 0; c < C; c++) {
                const y = i + di - pad;
                const x = j + dj - pad;
                const want = y >= 0 && y < H && x >= 0 && x < W ? X[((b * H + y) * W + x) * C + c] : 0;
                const got = cols[(((b * Ho + i) * Wo + j) * k + di) * k * C + dj * C + c];
                worst = Math.max(worst, Math.abs(want - got));
              }
    assert.equal(worst, 0);
    const D = Float64Array.from(r.normals(cols.length));
    const dX = new Float64Array(X.length);
    blas!.col2im(D, B, H, W, C, k, pad, dX);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < cols.length; i++) lhs += cols[i] * D[i];
    for (let i = 0; i < X.length; i++) rhs += X[i] * dX[i];
    assert.ok(Math.abs(lhs - rhs) < 1e-10 * (1 + Math.abs(lhs)), `<im2col X, D> = ${lhs}, <X, col2im D> = ${rhs}`);
  });

  it("the float64 gradient equals central differences of the loss, for mse and ce", () => {
    for (const [spec, loss] of [
      [SPECS[0], "mse"],
      [SPECS[1], "ce"],
    ] as const) {
      const p = vggParamCount(spec);
      const params = Float64Array.from(new Rng(3).normals(p).map((v) => 0.4 * v));
      const { X, Y } = data(spec, 6, 5);
      const Yl =
        loss === "ce"
          ? new Matrix(
              6,
              spec.outputs,
              Y.data.map((v) => Math.abs(v)),
            )
          : Y;
      const at = (q: Float64Array) =>
        new ConvStepper(spec, q, loss, "float64", blas!).bind(X.data, Yl.data, 6).step([0, 2, 3, 5]);
      const st = new ConvStepper(spec, params, loss, "float64", blas!).bind(X.data, Yl.data, 6);
      st.step([0, 2, 3, 5]);
      const g = Float64Array.from(st.gradient);
      const h = 1e-6;
      const r = new Rng(1);
      const picks = [
        0,
        1,
        p - 1,
        p - spec.outputs - 1,
        ...Array.from({ length: 12 }, () => Math.floor(r.uniform() * p)),
      ];
      for (const i of picks) {
        const a = params.slice();
        const b = params.slice();
        a[i] += h;
        b[i] -= h;
        const fd = (at(a) - at(b)) / (2 * h);
        assert.ok(Math.abs(fd - g[i]) < 1e-6 * (1 + Math.abs(fd)), `${loss} θ${i}: ${g[i]} vs FD ${fd}`);
      }
      assert.ok(maxAbs(g) > 1e-3);
    }
  });

  it("Σ_k ‖∇_θ f_k(x_i)‖² on the native path equals tfjs autodiff's, and leaves the training gradient alone", async () => {
    const { tf } = await loadTf();
    for (const spec of SPECS) {
      const model = nets.vggModel(tf, spec, 4);
      try {
        const { X, Y } = data(spec, 5, 11);
        const st = new ConvStepper(spec, vggParams(model), "mse", "float64", blas!).bind(X.data, Y.data, 5);
        st.step([1, 3]);
        const before = Float64Array.from(st.gradient);
        const got = st.outputGradSqNorms(X, 4);
        assert.deepEqual(Float64Array.from(st.gradient), before);
        const vars = model.trainableWeights.map((w) => (w as unknown as { val: tfType.Variable }).val);
        const Xt = tf.tensor(Float32Array.from(X.data), [5, ...spec.inputShape]);
        for (let i = 0; i < 4; i++) {
          let want = 0;
          for (let k = 0; k < spec.outputs; k++) {
            const { grads } = tf.variableGrads(
              () =>
                tf.reshape(
                  tf.slice(model.apply(tf.slice(Xt, [i], [1])) as tfType.Tensor2D, [0, k], [1, 1]),
                  [],
                ) as tfType.Scalar,
              vars,
            );
            for (const g of Object.values(grads)) want += (tf.sum(tf.square(g)).dataSync() as Float32Array)[0];
            tf.dispose(Object.values(grads));
          }
          assert.ok(Math.abs(got[i] - want) < 1e-4 * want, `row ${i}: native ${got[i]} vs tfjs ${want}`);
        }
        Xt.dispose();
        assert.throws(() => st.outputGradSqNorms(X, 6), /m must be an integer in \[1, 5\]/);
      } finally {
        model.dispose();
      }
    }
  });

  it(
    "predictions equal the tfjs model's with the same weights (conv layout, padding, pooling, " + "flatten order)",
    async () => {
      const { tf } = await loadTf();
      for (const spec of SPECS) {
        const model = nets.vggModel(tf, spec, 4);
        const params = vggParams(model);
        assert.equal(params.length, vggParamCount(spec));
        assert.equal(params.length, model.countParams());
        const { X } = data(spec, 13, 2);
        const st = new ConvStepper(spec, params, "mse", "float32", blas!);
        const mine = st.predict(X);
        const y = tf.tidy(
          () => model.predict(tf.tensor(Float32Array.from(X.data), [X.rows, ...spec.inputShape])) as tfType.Tensor,
        );
        const theirs = y.dataSync() as Float32Array;
        y.dispose();
        assert.ok(
          maxDiff(mine, theirs) < 1e-5 * (1 + maxAbs(theirs)),
          `${JSON.stringify(spec.layers)}: max |Δf| ${maxDiff(mine, theirs)}`,
        );
        // and setVggParams round-trips
        const moved = params.map((v) => v * 0.5);
        setVggParams(tf, model, moved);
        assert.ok(maxDiff(vggParams(model), moved) < 1e-7);
        model.dispose();
      }
    },
  );

  it(
    "trainConv follows tfjs trainModel's trajectory to float32 rounding (SGD and Adam), and " +
      "float64 stays close to float32",
    async () => {
      const { tf } = await loadTf();
      for (const [spec, optimizer, lr] of [
        [SPECS[0], "sgd", 0.05],
        [SPECS[1], "adam", 0.005],
      ] as const) {
        const { X, Y } = data(spec, 24, 7);
        const model = nets.vggModel(tf, spec, 1);
        const init = vggParams(model);
        const o = {
          X,
          Y,
          loss: "mse" as const,
          optimizer,
          lr,
          batchSize: 5,
          steps: 40,
          seed: 2,
          checkpoints: [0, 20, 40],
        };
        const seen: number[] = [];
        const native = await trainConv({
          ...o,
          spec,
          params: init,
          onCheckpoint: (s, net) => void seen.push(s, net.params64().length),
        });
        await trainModel({ ...o, model });
        const tfParams = vggParams(model);
        model.dispose();
        assert.match(native.backend, /^native float32/);
        assert.deepEqual(seen, [0, init.length, 20, init.length, 40, init.length]);
        const moved = maxDiff(native.params, init);
        const diff = maxDiff(native.params, tfParams);
        assert.ok(moved > 1e-2, `training moved the parameters by ${moved}`);
        assert.ok(
          diff < 2e-5 * (1 + maxAbs(tfParams)),
          `${optimizer}: max |Δθ| native vs tfjs ${diff} (moved ${moved})`,
        );
        const f64 = await trainConv({ ...o, spec, params: init, precision: "float64" });
        assert.match(f64.backend, /^native float64/);
        assert.ok(
          maxDiff(f64.params, native.params) < 2e-5 * (1 + maxAbs(f64.params)),
          `float64 vs float32 ${maxDiff(f64.params, native.params)}`,
        );
      }
    },
  );

  it("refuses a parameter vector of the wrong length and data of the wrong width before training", async () => {
    const spec = SPECS[0];
    const { X, Y } = data(spec, 4, 1);
    await assert.rejects(
      trainConv({ X, Y, spec, params: new Float64Array(3), lr: 0.1, steps: 1 }),
      /the spec has \d+ parameters, got 3/,
    );
    await assert.rejects(
      trainConv({ X: new Matrix(4, 5), Y, spec, params: new Float64Array(vggParamCount(spec)), lr: 0.1, steps: 1 }),
      /data must be N×98/,
    );
  });
});

describe("VGG initialisation", () => {
  it('"authors": conv kernels N(0, √(2/(9·out))) with zero biases; dense layers U(±1/√fan_in); default unchanged', async () => {
    const { tf } = await loadTf();
    const spec: nets.VggSpec = { inputShape: [28, 28, 1], layers: nets.CHEN_VGG_LAYERS, hidden: [128], outputs: 10 };
    const authors = nets.vggModel(tf, { ...spec, init: "authors" }, 3);
    const plain = nets.vggModel(tf, spec, 3);
    try {
      const ws = authors.getWeights().map((w) => Float64Array.from(w.dataSync()));
      const shapes = authors.getWeights().map((w) => w.shape);
      let convs = 0;
      for (let i = 0; i < ws.length; i += 2) {
        const [kernel, bias, shape] = [ws[i], ws[i + 1], shapes[i]];
        if (shape.length === 4) {
          convs++;
          const out = shape[3];
          const sd = Math.sqrt(kernel.reduce((a, v) => a + v * v, 0) / kernel.length);
          const want = Math.sqrt(2 / (9 * out));
          // the sample sd of n normals is within 4·want/√(2n) of want with overwhelming probability
          assert.ok(
            Math.abs(sd - want) < (4 * want) / Math.sqrt(2 * kernel.length),
            `conv ${convs}: sd ${sd} vs ${want}`,
          );
          assert.ok(bias.every((v) => v === 0));
        } else {
          const bound = 1 / Math.sqrt(shape[0]);
          assert.ok(kernel.every((v) => Math.abs(v) <= bound) && bias.every((v) => Math.abs(v) <= bound));
          assert.ok(Math.max(...kernel.map(Math.abs)) > 0.9 * bound);
        }
      }
      assert.equal(convs, 5);
      // the default is PyTorch's U(±1/√fan_in) everywhere, conv biases included (nonzero)
      const first = plain.getWeights()[1].dataSync();
      assert.ok(Array.from(first).some((v) => v !== 0) && Math.max(...Array.from(first, Math.abs)) <= 1 / 3);
      assert.throws(() => nets.vggModel(tf, { ...spec, init: "he" as never }, 0), /init must be one of/);
    } finally {
      authors.dispose();
      plain.dispose();
    }
  });
});
