import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { resolveOptions } from "../src/experiments/framework";
import { Matrix, rank } from "../src/linalg";
import * as nets from "../src/nets";
import * as cv from "../src/curvature";

describe("Hebbar: facts that hold by construction or by algebra (Parts 1–3b)", () => {
  it(
    "toy manifolds have dimension 3 − rank G; H = 2GGᵀ and rank H = rank G at zero loss, not " +
      "with a residual; CE on logits has rank H_o ≤ N(K − 1) < rank G; colliding inputs lower " +
      "rank G by m − 1 and the manifold dimension is N − rank G; a middle-layer collision " +
      "reaches the rank its algebra gives",
    async () => {
      const { infoLossFacts, infoLossStudy } = await import("../src/experiments/info-loss");
      const o = resolveOptions(infoLossStudy, { preset: "quick" });
      const facts = infoLossFacts(o);
      // Part 3b: one fact per collision kind and P_B it can be built with (projection: P_B ≥ 2; hidden-fold: even)
      const mid =
        o.midParams.length + o.midParams.filter((d) => d >= 2).length + o.midParams.filter((d) => d % 2 === 0).length;
      assert.equal(facts.length, 10 + mid);
      assert.equal(facts.filter((f) => /^Part 1/.test(f.name)).length, 2);
      assert.equal(facts.filter((f) => /^Part 2/.test(f.name)).length, 5);
      assert.equal(facts.filter((f) => /^Part 3:/.test(f.name)).length, 3);
      assert.equal(facts.filter((f) => /^Part 3b:/.test(f.name)).length, mid);
      for (const f of facts) assert.ok(f.pass, `${f.name}: ${f.detail}`);
    },
  );
});

describe("Hebbar Part 3b: collision at a middle layer", () => {
  it("the analytic G equals central finite differences of f (an independent computation)", async () => {
    const { middleLayerCase, middleLayerOutput } = await import("../src/experiments/info-loss/part3b-middle-layer");
    for (const collision of ["projection", "fold", "hidden-fold"] as const) {
      const d = 4;
      const width = 3;
      const c = middleLayerCase({ collision, d, width, m: 5, k: 7, seed: 2 });
      const h = 1e-6;
      let worst = 0;
      for (let i = 0; i < 7; i++) {
        const x = c.X.row(i);
        assert.equal(x.length, collision === "hidden-fold" ? 1 : d);
        for (let p = 0; p < c.params.length; p++) {
          const up = c.params.slice();
          const dn = c.params.slice();
          up[p] += h;
          dn[p] -= h;
          const fd =
            (middleLayerOutput(collision, d, width, up, x) - middleLayerOutput(collision, d, width, dn, x)) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - c.G.get(p, i)));
        }
      }
      assert.ok(worst < 1e-7, `${collision}: max |G − finite differences| = ${worst}`);
    }
  });

  it(
    "the projection case is a [d, 1, w, 1] tanh network: src/curvature's G (bias of layer L " +
      "at 0, its row removed) is the study's G, with the same rank",
    async () => {
      const { middleLayerCase } = await import("../src/experiments/info-loss/part3b-middle-layer");
      const d = 5;
      const w = 4;
      const c = middleLayerCase({ collision: "projection", d, width: w, m: 6, k: 8, seed: 1 });
      const spec: nets.NetSpec = { sizes: [d, 1, w, 1], activation: "tanh", bias: true };
      // nets order: W1 (u), b1, W2 (a), b2 (e), W3 (c), b3 (c₀); the study's: u, a, e, c, c₀
      const params = new Float64Array(nets.paramCount(spec));
      params.set(c.params.subarray(0, d), 0);
      params[d] = 0;
      params.set(c.params.subarray(d), d + 1);
      const G = cv.behavioralGradients({ spec, params, X: c.X, Y: new Matrix(8, 1) });
      let worst = 0;
      for (let i = 0; i < 8; i++)
        for (let p = 0; p < c.params.length; p++)
          worst = Math.max(worst, Math.abs(G.get(p < d ? p : p + 1, i) - c.G.get(p, i)));
      assert.ok(worst < 1e-12, `max |G_nets − G| = ${worst}`);
      // the colliding inputs are distinct but share layer L's activation
      for (let i = 1; i < 6; i++)
        assert.ok(
          Math.abs(c.z[i] - c.z[0]) < 1e-12 && Math.hypot(...c.X.row(i).map((v, t) => v - c.X.get(0, t))) > 1e-3,
        );
      assert.equal(rank(G), rank(c.G));
      // P_B = d = 5 = m − 1: the differences lie in u⊥ (dim 4), so rank G = (k − m) + 1 + 4 = 7 < k
      assert.equal(rank(c.G), 7);
    },
  );

  it(
    "a fold with P_B = m − 1 keeps all k gradients independent (the post's 'fewer than m' " +
      "fails by one); with P_B = m − 2 they are dependent",
    async () => {
      const { middleLayerCase } = await import("../src/experiments/info-loss/part3b-middle-layer");
      const m = 6;
      const k = 8;
      for (let seed = 0; seed < 3; seed++) {
        const at = middleLayerCase({ collision: "fold", d: m - 1, width: 4, m, k, seed });
        for (let i = 1; i < m; i++)
          assert.ok(
            Math.abs(at.h[i] - at.h[0]) < 1e-12 && Math.abs(at.z[i] - at.z[0]) > 1,
            "distinct pre-activations, one activation",
          );
        assert.equal(rank(at.G), k, `seed ${seed}: P_B = m − 1`);
        const below = middleLayerCase({ collision: "fold", d: m - 2, width: 4, m, k, seed });
        assert.equal(rank(below.G), k - 1, `seed ${seed}: P_B = m − 2 gives rank (k − m) + 1 + (m − 2)`);
        // the same with a trainable hidden layer before L: 2 hidden units, P_B = 4 = m − 2
        const deep = middleLayerCase({ collision: "hidden-fold", d: m - 2, width: 4, m, k, seed });
        for (let i = 1; i < m; i++)
          assert.ok(Math.abs(deep.h[i] - deep.h[0]) < 1e-12 && Math.abs(deep.X.get(i, 0) - deep.X.get(0, 0)) > 1e-3);
        assert.equal(rank(deep.G), k - 1, `seed ${seed}: hidden-fold, P_B = m − 2`);
      }
    },
  );

  it("the part call reads only its options and its ledger entry judges the sweep", async () => {
    const { hebbar } = await import("../src/experiments/info-loss");
    await assert.rejects(
      hebbar.part3b({ seeds: 3 } as never),
      /unknown option "seeds" \(seeds is an option of info-loss, not read by this figure\)/,
    );
    const r = await hebbar.part3b({ preset: "quick", cache: false, midParams: [3, 4, 5, 6], midSeeds: 2 });
    assert.deepEqual(
      r.ledger.map((e) => e.id),
      ["part3b-middle-layer-bound"],
    );
    assert.equal(r.ledger[0].verdict, "partly", r.ledger[0].detail);
    assert.equal(r.ledger[0].numbers["fold: rank G at P_B = m − 1"], "8");
    assert.equal(r.ledger[0].numbers["projection: rank G at P_B = m − 1"], "7");
    assert.equal(
      r.data.tables[0].rows.filter((row) => row[0] === "hidden-fold").length,
      2,
      "hidden-fold at P_B = 4 and 6",
    );
    assert.deepEqual(r.data.options, { midCollide: 6, midK: 8, midParams: [3, 4, 5, 6], midWidth: 4, midSeeds: 2 });
  });
});

describe("Hebbar Part 4a: solution kinds and their manifold dimension", () => {
  it("Spearman's ρ with ties matches a hand computation", async () => {
    const { spearman, midRanks } = await import("../src/experiments/info-loss/part4a-manifold-dimension");
    assert.equal(spearman([1, 2, 3, 4], [1, 3, 2, 4]), 0.8);
    assert.deepEqual(midRanks([5, 1, 5, 2]), [3.5, 1, 3.5, 2]);
    // x ranks [1.5, 1.5, 3, 4], y ranks [2, 2, 2, 4]: Pearson of those = 0.8164965809…
    assert.ok(Math.abs(spearman([1, 1, 2, 3], [0, 0, 0, 5]) - Math.sqrt(2 / 3)) < 1e-12);
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  });

  it(
    "a solution's kind is its units' activation patterns; the constructed kinds are zero-loss " +
      "points whose rank G is the rank of span{1, m∘x, m∘1}",
    async () => {
      const { solutionKind } = await import("../src/experiments/info-loss/sweep");
      const { constructKinds } = await import("../src/experiments/info-loss/part4a-manifold-dimension");
      const xs = [-1, -0.3, 0.4, 1];
      const spec: nets.NetSpec = { sizes: [1, 3, 1], activation: "relu", bias: true };
      // units: relu(x) on x > 0, relu(−x − 0.5) on x < −0.5, a unit inactive on every input
      const params = Float64Array.from([1, -1, 1, 0, -0.5, -5, 0.7, 0.2, 0.3, 0.1]);
      assert.equal(solutionKind(spec, params, xs), "0011,1000");
      const patternRank = (kind: string) => {
        const cols: number[][] = [xs.map(() => 1)];
        for (const m of kind.split(",")) {
          cols.push(xs.map((x, i) => (m[i] === "1" ? x : 0)));
          cols.push(xs.map((_, i) => (m[i] === "1" ? 1 : 0)));
        }
        return rank(new Matrix(xs.length, cols.length, Float64Array.from(xs.flatMap((_, i) => cols.map((c) => c[i])))));
      };
      const linear = constructKinds(xs, [-0.4, -0.05, 0.3, 0.6], 6, 1e-20);
      const zigzag = constructKinds(xs, [0.6, -0.4, 0.3, -0.5], 6, 1e-20);
      for (const k of [...linear, ...zigzag]) {
        assert.ok(k.loss < 1e-20, k.kind);
        assert.equal(k.rankG, patternRank(k.kind), k.kind);
      }
      // one linear region fits the linear targets (rank G = 2); no kind of rank < 4 fits the zig-zag
      assert.equal(linear.find((k) => k.kind === "1111")?.rankG, 2);
      assert.ok(zigzag.length > 10 && zigzag.every((k) => k.rankG === 4));
    },
  );
});

describe("Hebbar Part 4: the data it ran on", () => {
  it("describes the target sets from their values", async () => {
    const { describeTargets } = await import("../src/experiments/info-loss/part4-solutions");
    assert.match(describeTargets([-1, -0.3, 0.4, 1], [-0.4, -0.05, 0.3, 0.6]), /^on the line y = 0\.5x \+ 0\.1:/);
    assert.match(describeTargets([-1, -0.3, 0.4, 1], [0.6, -0.4, 0.3, -0.5]), /changes sign 2 times$/);
  });
});

describe("study: Hebbar information loss (quick preset)", () => {
  it(
    "declares and assesses its claims, counts the seeds that did not converge with bounds per " +
      "size, and computes its notes from the run",
    { timeout: 300000 },
    async () => {
      const { infoLoss } = await import("../src/experiments/info-loss");
      const r = await infoLoss({ preset: "quick", cache: false });
      for (const c of r.checks) assert.ok(c.pass, `${c.name}: ${c.detail}`);
      assert.deepEqual(
        r.ledger.map((e) => e.id),
        [
          "part3b-middle-layer-bound",
          "part4a-dimension-not-predictive",
          "part4-fewer-deficient",
          "part4-consistent-functions",
          "part4-deficient-exist",
        ],
      );
      for (const e of r.ledger) assert.ok(e.detail.length > 0 && Object.keys(e.numbers).length > 0, e.id);
      assert.equal(
        r.checks.filter((c) => /^Part [123]/.test(c.name)).length,
        0,
        "no construction facts among the checks",
      );
      assert.ok(
        r.data.notes.some((n) =>
          n.startsWith(
            "Part 4 data: 4 training inputs x = [-1,-0.3,0.4,1], each network fitted to two target " +
              'sets separately — "linear targets" y = [-0.4,-0.05,0.3,0.6] (on the line y = 0.5x + 0.1',
          ),
        ),
      );
      for (const set of ["linear targets", "zig-zag targets"]) {
        assert.match(
          String(r.summary[`part 4 ${set}: seeds not reaching zero loss, per size`]),
          /^p 10: \d+, p 22: \d+, p 43: \d+, p 100: \d+$/,
        );
        assert.ok(
          r.data.notes.some((n) =>
            new RegExp(`^Part 4, ${set}: \\d+ of \\d+ zero-loss solutions over all sizes have rank G < 4`).test(n),
          ),
          set,
        );
        // the bounds per size, recomputed from the table's counts
        const table = r.data.tables.find((t) => t.title.startsWith(`Part 4: per size, ${set}`))!;
        const col = (name: string) => table.columns.indexOf(name);
        const expected = table.rows
          .map((row) => {
            const [n, failed, deficient] = [
              row[col("converged seeds")],
              row[col("not converged")],
              row[col("rank-deficient")],
            ] as number[];
            return (
              `p ${row[col("params")]}: [${(deficient / (n + failed)).toFixed(3)}, ` +
              `${((deficient + failed) / (n + failed)).toFixed(3)}]`
            );
          })
          .join(", ");
        assert.equal(
          r.summary[
            `part 4 ${set}: rank-deficient fraction with the not-converged seeds counted full rank / deficient, per size`
          ],
          expected,
        );
      }
      // Part 4a: its tables count every converged seed once
      const byDim = r.data.tables.find((t) => t.title.startsWith("Part 4a: linear targets"))!;
      const seeds = byDim.rows.reduce((a, row) => a + (row[4] as number), 0);
      assert.ok(
        r.data.notes.some((n) => n.startsWith(`Part 4a, linear targets: ${seeds} of 100 seeds reached zero loss`)),
      );
      assert.ok(r.figures.length >= 8);
      await assert.rejects(infoLoss({ collide: 9 }), /option collide must be an integer in \[2, 6\]; got 9/);
      await assert.rejects(infoLoss({ midWidth: 0 }), /option midWidth must be an integer in \[1, 50\]; got 0/);
    },
  );
});
