/** The README's benchmark tables are generated from results/bench/bench.json (bench/readme.ts). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { benchMarkdown, BenchRecord } from "../../bench/readme";

const record = (hessianRows: Record<string, unknown>[]): BenchRecord => ({
  commit: "0123456789abcdef",
  dirty: false,
  started: "2026-12-07T02:00:00.000Z",
  finished: "2026-12-07T02:09:00.000Z",
  cpu: "CPU",
  cores: 2,
  node: "v20",
  speed: [
    { at: "start", torchMs: 6.8, nativeMs: 6.1 },
    { at: "end", torchMs: null, torchError: "x", nativeMs: 6.2 },
  ],
  runs: { hessian: { benchmark: "hessian", rows: hessianRows } },
});

describe("benchmark tables for the README", () => {
  it(
    "compares the exact Hessian with the faster of PyTorch's two strategies, and eigvalsh " +
      "with PyTorch on the same matrix",
    () => {
      const row = {
        act: "tanh",
        p: 2720,
        general_hessian_s: 3,
        torch_hessian_s: 5,
        torch_vectorize_hessian_s: 40,
        eigvalsh_s: 0.5,
        torch_same_matrix_eigvalsh_s: 0.8,
        numpy_same_matrix_eigvalsh_s: 0.9,
        rank_H: 2720,
        torch_rank_H: 2720,
      };
      let md = benchMarkdown(record([row]));
      assert.match(
        md,
        /\| tanh, p = 2720 \| 3\.000 s \| 5\.000 s \/ 40\.000 s \| 0\.60 \| 0\.500 s \| 0\.800 s \/ 0\.900 s \| 0\.63 \| 2720 \(2720\) \|/,
      );
      md = benchMarkdown(record([{ ...row, torch_vectorize_hessian_s: 4 }]));
      assert.match(md, /\| 5\.000 s \/ 4\.000 s \| 0\.75 \|/, "vectorize=True faster: the ratio is to it");
      md = benchMarkdown(record([{ ...row, torch_hessian_s: null, torch_vectorize_hessian_s: null }]));
      assert.match(md, /\| — s \/ — s \| — \|/, "no PyTorch: no ratio");
      assert.match(md, /commit `0123456`, 2026-12-07 02:00–02:09 UTC/);
      assert.match(md, /PyTorch 6\.80 ms → —, native 6\.10 ms → 6\.20 ms/);
    },
  );
});
