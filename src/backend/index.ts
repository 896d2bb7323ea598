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
