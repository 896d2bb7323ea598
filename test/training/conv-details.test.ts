/**
 * The native conv path's details against independent references: refusals with their messages, the backend it says
 * it ran, float32 training rounding as float32 (not float64), predictions in chunks of 100 rows equal to one row at a
 * time, and `outputGradSqNorms` for the first m rows equal to the rows' own values, its m checked.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { trainConv, ConvStepper, vggParamCount, vggParams } from "../../src/training";
import { nativeBlas } from "../../src/training/native";
import * as nets from "../../src/nets";
import { Matrix } from "../../src/linalg";
import { Rng } from "../../src/util/random";
import { loadTf } from "../../src/backend";

const spec: nets.VggSpec = { inputShape: [5, 5, 1], layers: [2, "M"], hidden: [3], outputs: 2, padding: 1 };
const d = 25;
const blas = nativeBlas();

function data(N: number, seed: number) {
  const r = new Rng(seed);
  return { X: new Matrix(N, d, r.normals(N * d)), Y: new Matrix(N, 2, r.normals(N * 2)) };
}

async function initial(): Promise<Float64Array> {
  const { tf } = await loadTf();
  const model = nets.vggModel(tf, spec, 3);
  const p = vggParams(model);
  model.dispose();
  return p;
}

describe("native conv training: details", { skip: blas ? false : "the LAPACK addon is not loaded" }, () => {
  it("refuses a bad precision, data of the wrong width and a parameter vector of the wrong length, naming them", async () => {
    const { X, Y } = data(4, 1);
    const params = await initial();
    const count = vggParamCount(spec);
    assert.equal(params.length, count);
    const o = { X, Y, spec, params, lr: 0.1, steps: 1 };
    await assert.rejects(
      trainConv({ ...o, precision: "float16" as "float32" }),
      /^Error: trainConv: precision must be one of float64, float32; got "float16"$/,
    );
    await assert.rejects(
      trainConv({ ...o, X: new Matrix(4, 24) }),
      /^Error: trainConv: data must be N×25 and N×2, got 4×24 and 4×2$/,
    );
    await assert.rejects(
      trainConv({ ...o, Y: new Matrix(4, 3) }),
      /^Error: trainConv: data must be N×25 and N×2, got 4×25 and 4×3$/,
    );
    await assert.rejects(
      trainConv({ ...o, params: new Float64Array(count - 1) }),
      new RegExp(`^Error: trainConv: the spec has ${count} parameters, got ${count - 1}$`),
    );
  });

  it("says which path ran; float32 training rounds as float32, float64 does not", async () => {
    const { X, Y } = data(6, 2);
    const params = await initial();
    const o = { X, Y, spec, params, lr: 0.05, steps: 3, optimizer: "sgd" as const };
    const f64 = await trainConv({ ...o, precision: "float64" });
    const f32 = await trainConv({ ...o, precision: "float32" });
    const dflt = await trainConv(o);
    assert.equal(f64.backend, "native float64 (OpenBLAS dgemm, im2col)");
    assert.equal(f32.backend, "native float32 (OpenBLAS sgemm, im2col)");
    assert.equal(dflt.backend, f32.backend, "float32 by default");
    assert.deepEqual(dflt.params, f32.params);
    // float32 parameters are float32 numbers; the float64 run's are not all
    assert.ok(
      f32.params.every((v) => Math.fround(v) === v),
      "float32 values",
    );
    assert.ok(
      f64.params.some((v) => Math.fround(v) !== v),
      "float64 values",
    );
    // and they agree to float32 rounding
    let diff = 0;
    let scale = 0;
    f64.params.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - f32.params[i]));
      scale = Math.max(scale, Math.abs(v));
    });
    assert.ok(diff > 0 && diff < 1e-5 * scale, `float32 vs float64: ${diff}`);
  });

  it("predict: 250 rows (chunks of 100, 100 and 50) equal each row predicted alone; a wrong width is refused", async () => {
    const params = await initial();
    for (const precision of ["float64", "float32"] as const) {
      const st = new ConvStepper(spec, params, "mse", precision, blas!);
      const { X } = data(250, 3);
      const all = st.predict(X);
      assert.equal(all.length, 500);
      for (const i of [0, 99, 100, 199, 200, 249]) {
        const one = st.predict(new Matrix(1, d, X.data.slice(i * d, (i + 1) * d)));
        assert.deepEqual(Array.from(all.slice(2 * i, 2 * i + 2)), Array.from(one), `${precision} row ${i}`);
      }
      assert.throws(
        () => st.predict(new Matrix(2, 24)),
        /^Error: predict: the network takes rows of 25 numbers, got 24$/,
      );
    }
  });

  it("outputGradSqNorms: the first m rows' values are the rows' own; m is an integer in [1, rows]", async () => {
    const params = await initial();
    const st = new ConvStepper(spec, params, "mse", "float64", blas!);
    const { X } = data(5, 4);
    const all = st.outputGradSqNorms(X, 5);
    const first2 = st.outputGradSqNorms(X, 2);
    assert.deepEqual(Array.from(first2), Array.from(all.slice(0, 2)));
    // row 3 alone equals its entry
    const row3 = st.outputGradSqNorms(new Matrix(1, d, X.data.slice(3 * d, 4 * d)), 1);
    assert.deepEqual(Array.from(row3), [all[3]]);
    assert.ok(all.every((v) => v > 0));
    for (const m of [0, 6, 1.5])
      assert.throws(
        () => st.outputGradSqNorms(X, m),
        new RegExp(`^Error: outputGradSqNorms: m must be an integer in \\[1, 5\\], got ${m}$`),
      );
    assert.throws(
      () => st.outputGradSqNorms(new Matrix(2, 3), 1),
      /^Error: outputGradSqNorms: rows of 25 numbers expected, got 3$/,
    );
  });
});
