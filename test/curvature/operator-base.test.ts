/**
 * The operator base against hand computation: `splitBatches` by hand, `batchedOperator` driven by a definition whose
 * batch products are known matrices (the weighted mean n_b/N for "batch-mean", the plain sum for "share-of-mean",
 * one batch returned as it is, progress per batch, `end` run even when a batch throws, nothing visited when `begin`
 * says there is nothing to compute), the operator contract checks with their messages (`checkOperator`,
 * `applyOperator`, `applyInBlocks`), and a kind's operator over mini-batches equal to the whole-set operator.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as cv from "../../src/curvature";
import { Matrix } from "../../src/linalg";
import * as nets from "../../src/nets";
import { Rng } from "../../src/util/random";
import {
  splitBatches,
  batchedOperator,
  checkOperator,
  applyOperator,
  applyInBlocks,
} from "../../src/curvature/operator-base";

const m = (rows: number, cols: number, data: number[]) => new Matrix(rows, cols, Float64Array.from(data));

describe("the operator base", () => {
  it("splitBatches: consecutive rows, the last batch shorter", () => {
    assert.deepEqual(splitBatches(7, 3), [
      { start: 0, n: 3 },
      { start: 3, n: 3 },
      { start: 6, n: 1 },
    ]);
    assert.deepEqual(splitBatches(6, 3), [
      { start: 0, n: 3 },
      { start: 3, n: 3 },
    ]);
    assert.deepEqual(splitBatches(2, 5), [{ start: 0, n: 2 }]);
    assert.deepEqual(splitBatches(0, 4), []);
  });

  it("batchedOperator: batch means weighted n_b/N, shares summed, progress per batch, end after the last", () => {
    const batches = splitBatches(5, 2); // n = 2, 2, 1
    // batch i's product of V (1×2) is (i + 1)·V
    const log: string[] = [];
    const def = (scale: "batch-mean" | "share-of-mean") =>
      batchedOperator({
        name: "t",
        p: 2,
        block: 4,
        N: 5,
        batches,
        scale,
        begin: (V) => ({
          batch: (b, i) => {
            log.push(`batch ${b.start}+${b.n} #${i}`);
            return new Matrix(
              V.rows,
              2,
              V.data.map((x) => (i + 1) * x),
            );
          },
          end: () => void log.push("end"),
        }),
        onBatch: (done, total) => void log.push(`${done}/${total}`),
      });
    const V = m(1, 2, [1, -2]);
    const mean = def("batch-mean").apply(V);
    // (2/5)·1 + (2/5)·2 + (1/5)·3 = 9/5, summed in that order
    const w = (x: number) => (2 / 5) * (1 * x) + (2 / 5) * (2 * x) + (1 / 5) * (3 * x);
    assert.deepEqual(Array.from(mean.data), [w(1), w(-2)]);
    assert.ok(Math.abs(w(1) - 9 / 5) < 1e-15);
    assert.deepEqual(log, ["batch 0+2 #0", "1/3", "batch 2+2 #1", "2/3", "batch 4+1 #2", "3/3", "end"]);
    log.length = 0;
    const sum = def("share-of-mean").apply(V);
    assert.deepEqual(Array.from(sum.data), [6, -12]);
    assert.equal(log.at(-1), "end");
    const op = def("batch-mean");
    assert.equal(op.p, 2);
    assert.equal(op.block, 4);
    assert.equal(op.approximate, undefined);
  });

  it("batchedOperator: one batch of means is returned as computed; nothing to compute gives zeros; end after a throw", () => {
    const product = m(2, 2, [1, 2, 3, 4]);
    const calls: string[] = [];
    const one = batchedOperator({
      name: "one",
      p: 2,
      block: 1,
      N: 3,
      batches: [{ start: 0, n: 3 }],
      scale: "batch-mean",
      begin: () => ({ batch: () => product }),
      onBatch: (d, t) => void calls.push(`${d}/${t}`),
      approximate: { method: "x" },
    });
    assert.equal(one.apply(m(2, 2, [0, 1, 1, 0])), product, "the batch's own matrix, not a weighted copy");
    assert.deepEqual(calls, ["1/1"]);
    assert.deepEqual(one.approximate, { method: "x" });
    // one batch of shares: summed (weight 1), a new matrix
    const share = batchedOperator({
      name: "s",
      p: 2,
      block: 1,
      N: 3,
      batches: [{ start: 0, n: 3 }],
      scale: "share-of-mean",
      begin: () => ({ batch: () => product }),
    });
    const r = share.apply(m(2, 2, [0, 0, 0, 0]));
    assert.notEqual(r, product);
    assert.deepEqual(Array.from(r.data), [1, 2, 3, 4]);
    // begin says there is nothing to compute: zeros of V's shape, no batch visited
    let visited = 0;
    const none = batchedOperator({
      name: "n",
      p: 3,
      block: 1,
      N: 3,
      batches: splitBatches(3, 1),
      scale: "batch-mean",
      begin: () => undefined,
      onBatch: () => void visited++,
    });
    const z = none.apply(m(2, 3, [1, 2, 3, 4, 5, 6]));
    assert.deepEqual([z.rows, z.cols, Array.from(z.data)], [2, 3, [0, 0, 0, 0, 0, 0]]);
    assert.equal(visited, 0);
    // a batch that throws: end still runs, the error passes through
    let ended = 0;
    const bad = batchedOperator({
      name: "b",
      p: 1,
      block: 1,
      N: 2,
      batches: splitBatches(2, 1),
      scale: "batch-mean",
      begin: () => ({
        batch: (_b, i) => {
          if (i === 1) throw new Error("batch 1 failed");
          return m(1, 1, [1]);
        },
        end: () => void ended++,
      }),
    });
    assert.throws(() => bad.apply(m(1, 1, [1])), /^Error: batch 1 failed$/);
    assert.equal(ended, 1);
    // V checked first
    assert.throws(() => bad.apply([1] as unknown as Matrix), /^Error: b: apply takes a Matrix of row vectors$/);
    assert.throws(() => bad.apply(m(1, 2, [1, 2])), /^Error: b: vectors must have p = 1 entries, got 2$/);
  });

  it("the contract: checkOperator, applyOperator and applyInBlocks refuse what breaks it, naming the field", () => {
    const good: cv.SymmetricOperator = { p: 2, block: 1, apply: (V) => V };
    checkOperator("f", good);
    const refusals: [unknown, RegExp][] = [
      [null, /^f: the operator must be an object \{ p, apply, block \}; got null$/],
      [{ ...good, p: 0 }, /^f: operator.p \(the dimension\) must be an integer ≥ 1; got 0$/],
      [{ ...good, p: 1.5 }, /operator.p .* got 1.5$/],
      [{ ...good, apply: 3 }, /^f: operator.apply must be a function \(V\) => V·A$/],
      [{ ...good, block: 0 }, /^f: operator.block \(vectors per apply call\) must be an integer ≥ 1; got 0$/],
    ];
    for (const [op, re] of refusals)
      assert.throws(
        () => checkOperator("f", op as cv.SymmetricOperator),
        (e: unknown) => e instanceof Error && re.test(e.message),
      );
    // applyOperator: the result's shape and finiteness
    const V = m(2, 2, [1, 0, 0, 1]);
    assert.throws(
      () => applyOperator("g", { ...good, apply: () => m(1, 2, [0, 0]) }, V),
      /^Error: g: operator.apply must return V·A, a 2×2 Matrix for 2 vectors; got 1×2$/,
    );
    assert.throws(() => applyOperator("g", { ...good, apply: () => [1] as unknown as Matrix }, V), /got 1$/);
    assert.throws(
      () => applyOperator("g", { ...good, apply: () => m(2, 2, [0, 0, NaN, 0]) }, V),
      /^Error: g: operator.apply returned a non-finite value NaN at \(1, 0\); the operator must be finite$/,
    );
    // applyInBlocks: rows in calls of at most `block`, results in order
    const seen: number[] = [];
    const scale3: cv.SymmetricOperator = {
      p: 2,
      block: 2,
      apply: (W) => {
        seen.push(W.rows);
        return new Matrix(
          W.rows,
          2,
          W.data.map((x) => 3 * x),
        );
      },
    };
    const W = m(5, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(Array.from(applyInBlocks(scale3, W).data), [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    assert.deepEqual(seen, [2, 2, 1]);
    seen.length = 0;
    applyInBlocks(scale3, m(2, 2, [1, 2, 3, 4]));
    assert.deepEqual(seen, [2], "a block that fits is one call");
    assert.throws(
      () => applyInBlocks(scale3, m(1, 3, [1, 2, 3]), "h"),
      /^Error: h: vectors must have 2 entries \(the operator's p\); got 3$/,
    );
  });

  it("a kind's operator over mini-batches equals the whole-set operator, with progress per batch", () => {
    const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "tanh", bias: true };
    const r = new Rng(3);
    const problem: cv.Problem = {
      spec,
      params: nets.initParams(spec, { seed: 1 }),
      X: new Matrix(7, 3, r.normals(21)),
      Y: new Matrix(7, 2, r.normals(14)),
      loss: "mse",
    };
    const V = new Matrix(3, 26, r.normals(78));
    const whole = cv.curvatureOperator(problem, "hessian").apply(V);
    const progress: string[] = [];
    const batched = cv.batchedCurvatureOperator(problem, {
      kind: "hessian",
      batchSize: 3,
      onBatch: (d: number, t: number) => void progress.push(`${d}/${t}`),
    });
    const got = batched.apply(V);
    for (let i = 0; i < whole.data.length; i++)
      assert.ok(Math.abs(got.data[i] - whole.data[i]) < 1e-12 * (1 + Math.abs(whole.data[i])), `entry ${i}`);
    assert.deepEqual(progress, ["1/3", "2/3", "3/3"]);
  });
});
