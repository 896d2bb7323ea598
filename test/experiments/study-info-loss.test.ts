import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { resolveOptions } from "../../src/experiments/framework";
import { Matrix, rank } from "../../src/linalg";
import * as nets from "../../src/nets";
import * as cv from "../../src/curvature";

describe("Hebbar: facts that hold by construction or by algebra (Parts 1–3b)", () => {
  it(
    "toy manifolds have dimension 3 − rank G; H = 2GGᵀ and rank H = rank G at zero loss, not " +
      "with a residual; CE on logits has rank H_o ≤ N(K − 1) < rank G; colliding inputs lower " +
      "rank G by m − 1 and the manifold dimension is N − rank G; a middle-layer collision " +
      "reaches the rank its algebra gives",
    async () => {
      const { infoLossFacts, infoLossStudy } = await import("../../src/experiments/info-loss");
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
    const { middleLayerCase, middleLayerOutput } = await import("../../src/experiments/info-loss/part3b-middle-layer");
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
      const { middleLayerCase } = await import("../../src/experiments/info-loss/part3b-middle-layer");
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
      const { middleLayerCase } = await import("../../src/experiments/info-loss/part3b-middle-layer");
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
    const { hebbar } = await import("../../src/experiments/info-loss");
    await assert.rejects(
      hebbar.part3b({ seeds: 3 } as never),
      /unknown option "seeds" \(seeds is an option of info-loss, not read by this figure\)/,
    );
    const r = await hebbar.part3b({ preset: "quick", cache: false, midParams: [3, 4, 5, 6], midSeeds: 2 });
    assert.deepEqual(
      r.ledger.map((e) => e.id),
      ["part3b-middle-layer-bound"],
    );
    // the injective construction holds the post's P_B < m (rank 7 < k = 8 at P_B = m − 1); the sin fold fails there
    assert.equal(r.ledger[0].verdict, "partly", r.ledger[0].detail);
    assert.equal(r.ledger[0].numbers["folding activation at L (sin: fold, hidden-fold): rank G at P_B = m − 1"], "8");
    assert.equal(r.ledger[0].numbers["injective activation at L (projection, tanh): rank G at P_B = m − 1"], "7");
    assert.match(r.ledger[0].detail, /\[injective activation at L \(projection, tanh\)\] reproduced — /);
    assert.match(r.ledger[0].detail, /\[folding activation at L \(sin: fold, hidden-fold\)\] partly — /);
    assert.equal(
      r.data.tables[0].rows.filter((row) => row[0] === "hidden-fold").length,
      2,
      "hidden-fold at P_B = 4 and 6",
    );
    assert.deepEqual(r.data.options, { midCollide: 6, midK: 8, midParams: [3, 4, 5, 6], midWidth: 4, midSeeds: 2 });
  });
});

describe("Hebbar Part 3b: the rule judges injective and folding activations apart", () => {
  const row = (collision: string, pBefore: number, rankG: number) => ({
    collision,
    pBefore,
    seed: 0,
    rankG,
    rankColliding: 0,
  });
  const judge = async (rows: ReturnType<typeof row>[]) => {
    const { CLAIMS } = await import("../../src/experiments/info-loss/claims");
    const { assessClaim } = await import("../../src/report/ledger");
    return assessClaim(CLAIMS["part3b-middle-layer-bound"], { m: 6, k: 8, rows });
  };
  it("reproduced when both kinds are dependent below m; a fold failing at m − 1 does not spill onto the projection", async () => {
    const yes = await judge([row("projection", 5, 7), row("fold", 4, 7), row("hidden-fold", 4, 7), row("fold", 5, 7)]);
    assert.equal(yes.verdict, "reproduced", yes.detail);
    const mixed = await judge([row("projection", 5, 7), row("fold", 4, 7), row("fold", 5, 8)]);
    assert.equal(mixed.verdict, "partly", mixed.detail);
    assert.match(mixed.detail, /^\[injective activation at L \(projection, tanh\)\] reproduced — in all 1 /);
    assert.match(mixed.detail, /\[folding activation at L \(sin: fold, hidden-fold\)\] partly — .*needs P_B < m − 1$/);
    assert.equal(
      mixed.numbers["injective activation at L (projection, tanh): P_B < m with rank G = k (independent)"],
      0,
    );
    assert.equal(
      mixed.numbers["folding activation at L (sin: fold, hidden-fold): P_B < m with rank G = k (independent)"],
      1,
    );
  });
  it("not reproduced when both kinds fail at P_B ≤ m − 2; a kind without a construction below m is not assessed", async () => {
    const no = await judge([row("projection", 4, 8), row("fold", 3, 8), row("fold", 5, 7)]);
    assert.equal(no.verdict, "not reproduced", no.detail);
    // only the fold measured: the projection family is not assessed and does not count
    const foldOnly = await judge([row("fold", 4, 7), row("fold", 5, 8), row("projection", 6, 8)]);
    assert.equal(foldOnly.verdict, "partly", foldOnly.detail);
    assert.match(foldOnly.detail, /^\[injective activation at L \(projection, tanh\)\] not assessed — /);
    const projectionFails = await judge([row("projection", 5, 8), row("fold", 4, 7)]);
    assert.equal(projectionFails.verdict, "partly", projectionFails.detail);
    assert.match(projectionFails.detail, /\[injective activation at L \(projection, tanh\)\] partly — /);
    assert.equal((await judge([row("fold", 6, 8), row("projection", 7, 8)])).verdict, "not assessed");
  });
});

describe("Hebbar Part 4a: solution kinds and their manifold dimension", () => {
  it("Spearman's ρ with ties matches a hand computation", async () => {
    const { spearman, midRanks } = await import("../../src/experiments/info-loss/part4a-manifold-dimension");
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
      const { solutionKind } = await import("../../src/experiments/info-loss/sweep");
      const { constructKinds } = await import("../../src/experiments/info-loss/part4a-manifold-dimension");
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
    const { describeTargets } = await import("../../src/experiments/info-loss/part4-solutions");
    assert.match(describeTargets([-1, -0.3, 0.4, 1], [-0.4, -0.05, 0.3, 0.6]), /^on the line y = 0\.5x \+ 0\.1:/);
    assert.match(describeTargets([-1, -0.3, 0.4, 1], [0.6, -0.4, 0.3, -0.5]), /changes sign 2 times$/);
    assert.match(
      describeTargets([-1, -0.3, 0.4, 1], [0.6, -0.4, -0.4, 0.5]),
      /changes sign 1 time; neighbours x = -0\.3 and 0\.4 share the target -0\.4$/,
    );
  });

  it(
    "the valley targets admit a zero-loss solution with rank G < k at the smallest size: one built by hand has " +
      "Σ(f − y)² = 0 and three non-zero singular values of its analytic Jacobian",
    async () => {
      const { infoLossDefaults } = await import("../../src/experiments/info-loss");
      const { svdvals } = await import("../../src/linalg");
      const xs = infoLossDefaults.xs;
      const ys = infoLossDefaults.ysValley;
      assert.deepEqual(xs, [-1, -0.3, 0.4, 1]);
      // f = c + v₁ relu(−(x − t₁)) + v₂ relu(x − t₂) + v₃ relu(−x − 5): unit 1 on x₁ only, unit 2 on x₄ only, unit 3
      // off everywhere; x₂ and x₃ reach no unit, so they collide at the hidden layer with the shared target
      const [t1, t2] = [-0.65, 0.7];
      const c = ys[1];
      const v1 = (ys[0] - c) / (t1 - xs[0]);
      const v2 = (ys[3] - c) / (xs[3] - t2);
      const a = [-1, 1, -1];
      const b = [t1, -t2, -5];
      const v = [v1, v2, 0.3];
      const f = (x: number) => c + a.reduce((s, ai, j) => s + v[j] * Math.max(0, ai * x + b[j]), 0);
      const loss = xs.reduce((s, x, i) => s + (f(x) - ys[i]) ** 2, 0);
      assert.ok(loss < 1e-28, `Σ(f − y)² = ${loss}`);
      // the library's forward pass on the same parameters ([W₁ (3), b₁ (3), W₂ (3), b₂]) agrees
      const spec: nets.NetSpec = { sizes: [1, 3, 1], activation: "relu", bias: true };
      const params = Float64Array.from([...a, ...b, ...v, c]);
      const out = nets.predict(spec, params, new Matrix(4, 1, Float64Array.from(xs))).data;
      xs.forEach((x, i) => assert.ok(Math.abs(out[i] - f(x)) < 1e-14, `x = ${x}`));
      // Jacobian rows ∂f(x_i)/∂(a, b, v, c), by hand
      const J = new Matrix(4, 10);
      xs.forEach((x, i) => {
        for (let j = 0; j < 3; j++) {
          const on = a[j] * x + b[j] > 0 ? 1 : 0;
          J.set(i, j, v[j] * on * x);
          J.set(i, 3 + j, v[j] * on);
          J.set(i, 6 + j, Math.max(0, a[j] * x + b[j]));
        }
        J.set(i, 9, 1);
      });
      const sv = svdvals(J);
      assert.ok(sv[2] / sv[0] > 1e-2 && sv[3] / sv[0] < 1e-14, `singular values ${Array.from(sv).join(", ")}`);
      // the library's Jacobian has the same rank
      assert.equal(
        rank(
          cv.parameterJacobian({
            spec,
            params,
            X: new Matrix(4, 1, Float64Array.from(xs)),
            Y: new Matrix(4, 1, Float64Array.from(ys)),
          }),
        ),
        3,
      );
    },
  );

  it("which target sets admit rank G < k: the pattern-span certificate and the witness, per activation", async () => {
    const { deficientSpan } = await import("../../src/experiments/info-loss/part4a-manifold-dimension");
    const { deficientAdmission } = await import("../../src/experiments/info-loss/part4-solutions");
    const { infoLossDefaults: d } = await import("../../src/experiments/info-loss");
    assert.deepEqual(deficientSpan(d.xs, d.ys), { admits: "possible", dim: 2 });
    assert.deepEqual(deficientSpan(d.xs, d.ysAlt), { admits: "no" });
    assert.deepEqual(deficientSpan(d.xs, d.ysValley), { admits: "possible", dim: 3 });
    // three neighbours on a line (the last one off it) admit rank 3 too
    assert.deepEqual(deficientSpan(d.xs, [0, 0.7, 1.4, 0.2]), { admits: "possible", dim: 3 });
    const o = { activation: "relu", xs: d.xs, tol: 1e-20 };
    const valley = deficientAdmission(o, d.ysValley, 3, []);
    assert.equal(valley.admits, "yes");
    assert.match(valley.why, /^constructed at p = 10: units of patterns 0001,1000, .*rank G = 3$/);
    assert.equal(deficientAdmission(o, d.ysAlt, 3, []).admits, "no");
    // no construction for tanh: only a seed's solution shows existence
    const tanh = { ...o, activation: "tanh" };
    assert.equal(deficientAdmission(tanh, d.ysAlt, 3, []).admits, "unknown");
    const seeds = [
      { seed: 4, converged: false, rankG: 3, loss: 1e-3 },
      { seed: 5, converged: true, rankG: 3, loss: 1e-25 },
    ];
    assert.match(deficientAdmission(tanh, d.ysAlt, 3, seeds).why, /^seed 5 at p = 10: /);
  });

  it("the existence rule judges only target sets that admit a rank-deficient solution, both ways", async () => {
    const { CLAIMS } = await import("../../src/experiments/info-loss/claims");
    const { assessClaim } = await import("../../src/report/ledger");
    const size = (p: number, converged: number, deficient: number, failed: number) => ({
      p,
      converged,
      deficient,
      failed,
    });
    const set = (name: string, admits: "yes" | "no" | "unknown", c: ReturnType<typeof size>) => ({
      name,
      counts: c,
      perSize: [c, size(22, 195, 0, 5)],
      admits,
      why: "test",
    });
    const judge = (sets: ReturnType<typeof set>[]) => assessClaim(CLAIMS["part4-deficient-exist"], { sets });
    const zigzag = set("zig-zag targets", "no", size(10, 87, 0, 113));
    // 39/172: Wilson low 0.171 > 0.01; 0/180: low 0 ≤ 0.01; 10/190: low 0.029
    const yes = judge([
      set("linear targets", "yes", size(10, 172, 39, 28)),
      zigzag,
      set("valley targets", "yes", size(10, 190, 10, 10)),
    ]);
    assert.equal(yes.verdict, "reproduced", yes.detail);
    assert.match(yes.detail, /zig-zag targets: not judged — no zero-loss solution with rank G < k at p = 10/);
    assert.equal(yes.numbers["zig-zag targets: converged / not converged per p"], "10: 87/113, 22: 195/5");
    const no = judge([zigzag, set("valley targets", "yes", size(10, 180, 0, 20))]);
    assert.equal(no.verdict, "not reproduced", no.detail);
    assert.equal(no.numbers["valley targets: Wilson 95% low"], 0);
    const mixed = judge([
      set("linear targets", "yes", size(10, 172, 39, 28)),
      set("valley targets", "yes", size(10, 180, 0, 20)),
    ]);
    assert.equal(mixed.verdict, "partly", mixed.detail);
    // a set with a few deficient seeds whose interval reaches 0.01 does not count as found: 1/180 has low 0.001
    assert.equal(judge([set("valley targets", "yes", size(10, 180, 1, 20))]).verdict, "not reproduced");
    // nothing judged when no set admits one (or none is shown)
    const none = judge([zigzag, set("other", "unknown", size(10, 50, 0, 150))]);
    assert.equal(none.verdict, "not assessed", none.detail);
  });
});

describe("study: Hebbar information loss (quick preset)", () => {
  it(
    "declares and assesses its claims, counts the seeds that did not converge with bounds per " +
      "size, and computes its notes from the run",
    { timeout: 300000 },
    async () => {
      const { infoLoss } = await import("../../src/experiments/info-loss");
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
            "Part 4 data: 4 training inputs x = [-1,-0.3,0.4,1], each network fitted to 3 target " +
              'sets separately — "linear targets" y = [-0.4,-0.05,0.3,0.6] (on the line y = 0.5x + 0.1',
          ),
        ),
      );
      // the convergence per size, in the existence claim's numbers and in its own figure
      const exist = r.ledger.find((e) => e.id === "part4-deficient-exist")!;
      const convergence = r.figures.find((f) => f.name === "part4-convergence")!;
      for (const set of ["linear targets", "zig-zag targets", "valley targets"]) {
        const table = r.data.tables.find((t) => t.title.startsWith(`Part 4: per size, ${set}`))!;
        const col = (name: string) => table.columns.indexOf(name);
        assert.equal(
          exist.numbers[`${set}: converged / not converged per p`],
          table.rows
            .map((row) => `${row[col("params")]}: ${row[col("converged seeds")]}/${row[col("not converged")]}`)
            .join(", "),
        );
        const trace = convergence.data.find((t) => t.name === set) as { y?: unknown };
        assert.deepEqual(
          trace.y,
          table.rows.map((row) => row[col("not converged")]),
        );
      }
      assert.equal(exist.numbers["zig-zag targets: rank G < k possible at p = 10"], "no");
      assert.equal(exist.numbers["valley targets: rank G < k possible at p = 10"], "yes");
      assert.match(exist.detail, /zig-zag targets: not judged — /);
      for (const set of ["linear targets", "zig-zag targets", "valley targets"]) {
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
      assert.ok(r.figures.length >= 9);
      await assert.rejects(infoLoss({ collide: 9 }), /option collide must be an integer in \[2, 6\]; got 9/);
      await assert.rejects(infoLoss({ midWidth: 0 }), /option midWidth must be an integer in \[1, 50\]; got 0/);
      await assert.rejects(
        infoLoss({ ysValley: [0.6, -0.4, -0.4] }),
        /options xs, ys, ysAlt and ysValley must be lists of finite numbers of the same length/,
      );
    },
  );
});
