/**
 * tfjs backend selection for training: `tensorflow` (the optional @tensorflow/tfjs-node) when it
 * loads, else `wasm` (SIMD; single-threaded in Node), else `cpu`. tfjs is float32-only: rankscope
 * trains with it where training is the point and analyses the trained weights in float64.
 */
import type * as tfType from "./tf-api";
import { envTfBackend } from "../util/env";

export type TfBackendName = "tensorflow" | "wasm" | "cpu";

/** The tfjs module's type (what `loadTf()` gives as `tf`), for annotations in a notebook: `let tf: rs.Tf`. */
export type Tf = typeof tfType;

export interface TfHandle {
  tf: Tf;
  backend: TfBackendName;
  /** one line saying which backend loaded and why the faster ones did not */
  report: string;
}

let handle: Promise<TfHandle> | undefined;

/**
 * The wasm backend's BatchMatMul is 11–14× slower with transposeA/transposeB than without
 * (measured here: [200,500]ᵀ·[500,200] 30.9 ms vs 2.7 ms), and Dense back-propagation is made of such
 * products. This re-registers the kernel to transpose explicitly (a copy) and call the fast path.
 * The copy goes to whichever side is smaller: op(A)·op(B) either transposes the flagged operands, or
 * is computed as (op(B)ᵀ·op(A)ᵀ)ᵀ, which transposes the unflagged operands and the product. For
 * back-propagation through a wide Dense layer, dy·Wᵀ with dy [20, 500] and W [784, 500], the second
 * copies 26 k numbers instead of 392 k (measured: 5.3 → 1.5 ms).
 */
function patchWasmMatMul(tf: typeof tfType): void {
  const original = tf.getKernel("BatchMatMul", "wasm");
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!original || !transpose) return;
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({
    kernelName: "BatchMatMul",
    backendName: "wasm",
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: tfType.TensorInfo; b: tfType.TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const flip = (t: tfType.TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as tfType.TensorInfo;
      };
      if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const size = (t: tfType.TensorInfo) => t.shape.reduce((x, y) => x * y, 1);
      const r = a.shape.length;
      const rows = a.shape[transposeA ? r - 1 : r - 2];
      const cols = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1];
      const batch = Math.max(
        size(a) / (a.shape[r - 1] * a.shape[r - 2]),
        size(b) / (b.shape[b.shape.length - 1] * b.shape[b.shape.length - 2]),
      );
      const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
      const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * rows * cols;
      const bk = backend as unknown as { disposeData(id: unknown): void };
      const plain = (x: tfType.TensorInfo, y: tfType.TensorInfo) =>
        original.kernelFunc({
          inputs: { a: x, b: y },
          backend,
          attrs: { ...attrs, transposeA: false, transposeB: false },
        }) as tfType.TensorInfo;
      if (direct <= swapped) {
        const a2 = transposeA ? flip(a) : a;
        const b2 = transposeB ? flip(b) : b;
        const out = plain(a2, b2);
        if (a2 !== a) bk.disposeData(a2.dataId);
        if (b2 !== b) bk.disposeData(b2.dataId);
        return out;
      }
      // (op(B)ᵀ · op(A)ᵀ)ᵀ: op(B)ᵀ is B itself when transposeB, else a copy; likewise for A
      const bt = transposeB ? b : flip(b);
      const at = transposeA ? a : flip(a);
      const prod = plain(bt, at);
      const out = flip(prod);
      bk.disposeData(prod.dataId);
      if (bt !== b) bk.disposeData(bt.dataId);
      if (at !== a) bk.disposeData(at.dataId);
      return out;
    },
  });
}

/**
 * Convolution gradients on wasm. The backend has no Conv2DBackpropFilter kernel (conv layers could
 * not be trained on it; tfjs falls back to the pure-JS cpu backend, ~0.9 s per small conv step here),
 * and its Conv2DBackpropInput is a plain loop (73 of the 140 ms of a VGG step at batch 20, measured
 * with tf.profile). Both gradients are themselves convolutions, which the wasm Conv2D (XNNPACK) does fast:
 *   filter:  dW[r, s, i, o] = Σ_{b,h,w} x_pad[b, h·σ + r, w·σ + s, i] · dy[b, h, w, o]      (σ = stride)
 *            a "valid" convolution of x_pad with batch and channel axes swapped ([i, H, W, b]) by dy
 *            rearranged to [h, w, b, o], dilated by σ; the output [i, r, s, o] is cut to the filter
 *            size and transposed to [r, s, i, o].
 *   input (σ = 1):  dx[b, y, x, i] = Σ_{r,s,o} dy_pad[b, y + r, x + s, o] · W[f_h − 1 − r, f_w − 1 − s, i, o]
 *            a "valid" convolution of dy padded by (f − 1 − pad) on each side with the filter flipped in
 *            space and its channel axes swapped.
 * These register compositions of wasm kernels (PadV2, Transpose, Reverse, Conv2D, Slice). The input
 * gradient keeps the original kernel for strides > 1 or padding ≥ the filter size; filters with
 * dilation > 1 are not supported (tfjs has no gradient for them either).
 */
function addWasmConvGradients(tf: typeof tfType): void {
  const need = (name: string) => {
    const k = tf.getKernel(name, "wasm");
    if (!k) throw new Error(`wasm kernel ${name} missing`);
    return k.kernelFunc;
  };
  const [pad, transpose, conv, slice, reverse] = ["PadV2", "Transpose", "Conv2D", "Slice", "Reverse"].map(need);
  type ConvAttrs = {
    strides: number | [number, number];
    pad: "valid" | "same" | number;
    dataFormat: string;
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  type Backend = tfType.KernelBackend;
  // runs wasm kernels, remembering intermediates so they can be freed once the result exists
  const runner = (backend: Backend) => {
    const temps: tfType.TensorInfo[] = [];
    const run = (
      k: typeof pad,
      inputs: Record<string, tfType.TensorInfo>,
      attrs: Record<string, unknown>,
      keep = false,
    ) => {
      const out = k({ inputs, backend, attrs: attrs as never }) as tfType.TensorInfo;
      if (!keep) temps.push(out);
      return out;
    };
    const free = () =>
      temps.forEach((t) => (backend as unknown as { disposeData(id: unknown): void }).disposeData(t.dataId));
    return { run, free };
  };
  const nhwc = (op: string, a: ConvAttrs) => {
    if (a.dataFormat !== "NHWC") throw new Error(`${op} (wasm): only NHWC is supported, got ${a.dataFormat}`);
  };

  if (!tf.getKernel("Conv2DBackpropFilter", "wasm")) {
    tf.registerKernel({
      kernelName: "Conv2DBackpropFilter",
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs as { x: tfType.TensorInfo; dy: tfType.TensorInfo };
        const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
        nhwc("Conv2DBackpropFilter", a);
        const [fh, fw, ci, co] = a.filterShape;
        const info = tf.backend_util.computeConv2DInfo(
          x.shape as [number, number, number, number],
          a.filterShape,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
          false,
          "channelsLast",
        );
        const { top, bottom, left, right } = info.padInfo;
        const { run, free } = runner(backend as Backend);
        const xp =
          top || bottom || left || right
            ? run(
                pad,
                { x },
                {
                  paddings: [
                    [0, 0],
                    [top, bottom],
                    [left, right],
                    [0, 0],
                  ],
                  constantValue: 0,
                },
              )
            : x;
        const xt = run(transpose, { x: xp }, { perm: [3, 1, 2, 0] });
        const dyt = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] });
        let g = run(
          conv,
          { x: xt, filter: dyt },
          { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [info.strideHeight, info.strideWidth] },
        );
        if (g.shape[1] !== fh || g.shape[2] !== fw)
          g = run(slice, { x: g }, { begin: [0, 0, 0, 0], size: [ci, fh, fw, co] });
        const dw = run(transpose, { x: g }, { perm: [1, 2, 0, 3] }, true);
        free();
        return dw;
      },
    });
  }

  const originalInput = tf.getKernel("Conv2DBackpropInput", "wasm");
  if (originalInput && !(originalInput.kernelFunc as { rankscope?: boolean }).rankscope) {
    const kernelFunc = ({ inputs, backend, attrs }: Parameters<tfType.KernelFunc>[0]) => {
      const { dy, filter } = inputs as { dy: tfType.TensorInfo; filter: tfType.TensorInfo };
      const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
      const [fh, fw] = filter.shape;
      const info = tf.backend_util.computeConv2DInfo(
        a.inputShape,
        filter.shape as [number, number, number, number],
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        "channelsLast",
      );
      const { top, bottom, left, right } = info.padInfo;
      const p = [fh - 1 - top, fh - 1 - bottom, fw - 1 - left, fw - 1 - right];
      if (a.dataFormat !== "NHWC" || info.strideHeight !== 1 || info.strideWidth !== 1 || p.some((v) => v < 0))
        return originalInput.kernelFunc({ inputs, backend, attrs });
      const { run, free } = runner(backend as Backend);
      const dyp = p.some((v) => v > 0)
        ? run(
            pad,
            { x: dy },
            {
              paddings: [
                [0, 0],
                [p[0], p[1]],
                [p[2], p[3]],
                [0, 0],
              ],
              constantValue: 0,
            },
          )
        : dy;
      const flipped = run(reverse, { x: filter }, { dims: [0, 1] });
      const wt = run(transpose, { x: flipped }, { perm: [0, 1, 3, 2] });
      const dx = run(
        conv,
        { x: dyp, filter: wt },
        { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [1, 1] },
        true,
      );
      free();
      return dx;
    };
    (kernelFunc as { rankscope?: boolean }).rankscope = true;
    tf.unregisterKernel("Conv2DBackpropInput", "wasm");
    tf.registerKernel({
      kernelName: "Conv2DBackpropInput",
      backendName: "wasm",
      setupFunc: originalInput.setupFunc,
      disposeFunc: originalInput.disposeFunc,
      kernelFunc: kernelFunc as tfType.KernelFunc,
    });
  }
}

async function select(prefer?: TfBackendName): Promise<TfHandle> {
  const notes: string[] = [];
  const forced = prefer ?? envTfBackend();
  if (forced && !["tensorflow", "wasm", "cpu"].includes(forced)) {
    throw new Error(`tfjs backend must be one of "tensorflow", "wasm", "cpu"; got "${forced}"`);
  }
  if (!forced || forced === "tensorflow") {
    try {
      const tf = require("@tensorflow/tfjs-node") as typeof tfType;
      await tf.setBackend("tensorflow");
      await tf.ready();
      if (tf.getBackend() === "tensorflow")
        return { tf, backend: "tensorflow", report: "tfjs backend: tensorflow (tfjs-node, native, multi-threaded)" };
      notes.push("tfjs-node loaded but did not activate");
    } catch (err) {
      notes.push(
        `tfjs-node unavailable (${String((err as Error).message)
          .split("\n")[0]
          .slice(0, 80)})`,
      );
    }
  }

  const tf = require("./tf-api") as typeof tfType;
  require("@tensorflow/tfjs-backend-cpu"); // the fallback backend (the union package registered it and WebGL)
  if (!forced || forced === "wasm" || forced === "tensorflow") {
    try {
      require("@tensorflow/tfjs-backend-wasm");
      const ok = await tf.setBackend("wasm");
      await tf.ready();
      if (ok && tf.getBackend() === "wasm") {
        patchWasmMatMul(tf);
        addWasmConvGradients(tf);
        const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
        const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
        return {
          tf,
          backend: "wasm",
          report:
            `tfjs backend: wasm (SIMD ${simd ? "on" : "off"}, ` +
            `${threads ? "multi-threaded" : "1 thread"})${notes.length ? "; " + notes.join("; ") : ""}`,
        };
      }
      notes.push("wasm backend did not activate");
    } catch (err) {
      notes.push(`wasm unavailable (${(err as Error).message.slice(0, 80)})`);
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return { tf, backend: "cpu", report: `tfjs backend: cpu (pure JS)${notes.length ? "; " + notes.join("; ") : ""}` };
}

/** Loads tfjs once per process with the best available backend. */
export function loadTf(prefer?: TfBackendName): Promise<TfHandle> {
  if (!handle) handle = select(prefer);
  return handle;
}
