/**
 * tfjs backend selection for training: `tensorflow` (the optional @tensorflow/tfjs-node) when it
 * loads, else `wasm` (SIMD; single-threaded in Node), else `cpu`. tfjs is float32-only: rankscope
 * trains with it where training is the point and analyses the trained weights in float64.
 */
import type * as tfType from "@tensorflow/tfjs";

export type TfBackendName = "tensorflow" | "wasm" | "cpu";

export interface TfHandle {
  tf: typeof tfType;
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
      const batch = Math.max(size(a) / (a.shape[r - 1] * a.shape[r - 2]), size(b) / (b.shape[b.shape.length - 1] * b.shape[b.shape.length - 2]));
      const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
      const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * rows * cols;
      const bk = backend as unknown as { disposeData(id: unknown): void };
      const plain = (x: tfType.TensorInfo, y: tfType.TensorInfo) => original.kernelFunc({ inputs: { a: x, b: y }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as tfType.TensorInfo;
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

async function select(prefer?: TfBackendName): Promise<TfHandle> {
  const notes: string[] = [];
  const forced = prefer ?? (process.env.RANKSCOPE_TF_BACKEND as TfBackendName | undefined);
  if (forced && !["tensorflow", "wasm", "cpu"].includes(forced)) {
    throw new Error(`tfjs backend must be one of "tensorflow", "wasm", "cpu"; got "${forced}"`);
  }
  if (!forced || forced === "tensorflow") {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const tf = require("@tensorflow/tfjs-node") as typeof tfType;
      await tf.setBackend("tensorflow");
      await tf.ready();
      if (tf.getBackend() === "tensorflow") return { tf, backend: "tensorflow", report: "tfjs backend: tensorflow (tfjs-node, native, multi-threaded)" };
      notes.push("tfjs-node loaded but did not activate");
    } catch (err) {
      notes.push(`tfjs-node unavailable (${String((err as Error).message).split("\n")[0].slice(0, 80)})`);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tf = require("@tensorflow/tfjs") as typeof tfType;
  if (!forced || forced === "wasm" || forced === "tensorflow") {
    try {
      require("@tensorflow/tfjs-backend-wasm");
      const ok = await tf.setBackend("wasm");
      await tf.ready();
      if (ok && tf.getBackend() === "wasm") {
        patchWasmMatMul(tf);
        const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
        const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
        return { tf, backend: "wasm", report: `tfjs backend: wasm (SIMD ${simd ? "on" : "off"}, ${threads ? "multi-threaded" : "1 thread"})${notes.length ? "; " + notes.join("; ") : ""}` };
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
