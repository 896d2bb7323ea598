/** Worker-thread entry: runs `require(module)[fn](args)` for each task message and posts the result. */
import { parentPort } from "node:worker_threads";
import { setThreads } from "../linalg";

setThreads(1); // the pool already uses every core; one BLAS thread per worker
parentPort!.on("message", async (msg: { id: number; module: string; fn: string; args: unknown }) => {
  try {
    const mod = require(msg.module);
    if (typeof mod[msg.fn] !== "function") throw new Error(`${msg.module} has no function ${msg.fn}`);
    const result = await mod[msg.fn](msg.args);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) });
  }
});
