/**
 * Studies written as parts (one per figure): each part is cached on its own under the options it
 * declares, a figure's call refuses options it does not read, the whole study reuses the parts'
 * entries, and claims fed by several parts are assessed on their joined measurements.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExperimentDefinition, runExperiment, OptionError } from "../../src/experiments/framework";
import { checkOption, int } from "../../src/util/options";
import { definePart, partCall, runPart, assessFromParts } from "../../src/experiments/parts";
import { ClaimSpec, holdsInAll } from "../../src/report/ledger";
import { mapTasks } from "../../src/parallel";

/** A worker task that counts its calls (workers = 1 runs it on this thread, so the counter is this module's). */
const taskCalls: number[] = [];
export function countedTask(x: number): number {
  taskCalls.push(x);
  return x * x;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-parts-"));

interface ToyOptions {
  a: number;
  b: number;
  shared: number;
  workers: number;
}
const runs: Record<string, number> = { A: 0, B: 0 };
const part = definePart<ToyOptions>();

interface Hits {
  holds: number;
  total: number;
}
const claim: ClaimSpec<Hits> = {
  id: "c-all",
  claim: "x equals its formula",
  where: "-",
  rule: "in all",
  differences: [],
  assess: (m) => holdsInAll(m.holds, m.total, "x = formula"),
  combine: (ps) => ({ holds: ps.reduce((s, p) => s + p.holds, 0), total: ps.reduce((s, p) => s + p.total, 0) }),
  example: { holds: 2, total: 2 },
  counterexample: { holds: 0, total: 2 },
};
const onlyB: ClaimSpec<number> = {
  id: "c-b",
  claim: "b is positive",
  where: "-",
  rule: "> 0",
  differences: [],
  assess: (v) => ({ verdict: v > 0 ? "reproduced" : "not reproduced", numbers: { v }, detail: `v = ${v}` }),
  example: 1,
  counterexample: -1,
};

const A = part({
  id: "figA",
  title: "Fig. A — a",
  reads: ["a", "shared"],
  async run(o) {
    runs.A++;
    // a is "measured" equal to its formula when it is even
    return {
      figures: [],
      summary: { "A value": o.a * o.shared },
      evidence: { "c-all": { holds: o.a % 2 === 0 ? 1 : 0, total: 1 } },
    };
  },
});
const B = part({
  id: "figB",
  title: "Fig. B — b",
  reads: ["b", "shared"],
  async run(o) {
    runs.B++;
    return {
      figures: [],
      summary: { "B value": o.b + o.shared },
      evidence: { "c-all": { holds: 1, total: 1 }, "c-b": o.b },
    };
  },
});
const sneaky = part({
  id: "figS",
  title: "Fig. S",
  reads: ["a"],
  async run(o) {
    return { figures: [], summary: { s: (o as unknown as ToyOptions).b } };
  },
});

const study: ExperimentDefinition<ToyOptions> = {
  name: "toy-parts",
  title: "toy",
  paper: "-",
  defaults: { a: 2, b: 1, shared: 10, workers: 1 },
  presets: { paper: {}, quick: { a: 4 } },
  validate(o) {
    checkOption("toy-parts", "a", o.a, int(0, 100));
    checkOption("toy-parts", "b", o.b, int(-100, 100));
  },
  claims: { "c-all": claim, "c-b": onlyB },
  parts: [A, B],
};

describe("studies as parts", () => {
  it("a figure's call runs only that figure, under the options it reads, and refuses the others by name", async () => {
    const cacheDir = tmp();
    runs.A = runs.B = 0;
    const figA = partCall(study, A);
    const r = await figA({ a: 6, cacheDir });
    assert.equal(runs.A, 1);
    assert.equal(runs.B, 0);
    assert.equal(r.data.part, "figA");
    assert.deepEqual(r.options, { a: 6, shared: 10 });
    assert.deepEqual(r.data.changedOptions, ["a"]);
    assert.deepEqual(
      r.ledger.map((e) => [e.id, e.verdict]),
      [["c-all", "reproduced"]],
    );
    assert.match(r.ledger[0].detail, /^From Fig\. A alone: /);
    await assert.rejects(
      () => figA({ b: 3, cacheDir } as never),
      (e: Error) =>
        e instanceof OptionError &&
        /toy-parts\.figA: unknown option "b" \(b is an option of toy-parts, not read by this figure\); allowed: a, shared, workers, preset/.test(
          e.message,
        ),
    );
    await assert.rejects(() => figA({ a: -1, cacheDir }), /option a must be an integer in \[0, 100\]; got -1/);
    assert.deepEqual(figA.options("quick"), { a: 4, shared: 10 });
  });

  it(
    "the whole study reuses each figure's cache entry; changing one option recomputes only " +
      "the figures that read it",
    async () => {
      const cacheDir = tmp();
      runs.A = runs.B = 0;
      await runPart(study, "figA", { cacheDir, workers: 2 });
      const whole = await runExperiment(study, { cacheDir });
      assert.deepEqual(runs, { A: 1, B: 1 }); // A from the figure's entry (workers is not in the key)
      assert.equal(whole.cached, false);
      assert.deepEqual(whole.summary, { "A value": 20, "B value": 11 });
      const again = await runExperiment(study, { cacheDir });
      assert.equal(again.cached, true);
      assert.deepEqual(runs, { A: 1, B: 1 });
      await runExperiment(study, { cacheDir, b: 5 });
      assert.deepEqual(runs, { A: 1, B: 2 });
      await runExperiment(study, { cacheDir, shared: 3 });
      assert.deepEqual(runs, { A: 2, B: 3 });
      await runExperiment(study, { cacheDir, force: true });
      assert.deepEqual(runs, { A: 3, B: 4 });
    },
  );

  it("a claim fed by several figures is judged on their joined measurements, in declaration order", async () => {
    const cacheDir = tmp();
    const ok = await runExperiment(study, { cacheDir });
    assert.deepEqual(
      ok.ledger.map((e) => [e.id, e.verdict]),
      [
        ["c-all", "reproduced"],
        ["c-b", "reproduced"],
      ],
    );
    const odd = await runExperiment(study, { cacheDir, a: 3, b: -2 });
    // A misses (a odd), B holds: 1 of 2 configurations → partly; c-b from B alone
    assert.deepEqual(
      odd.ledger.map((e) => [e.id, e.verdict]),
      [
        ["c-all", "partly"],
        ["c-b", "not reproduced"],
      ],
    );
    assert.equal(odd.claim("c-all").numbers.holds, 1);
    assert.equal(odd.claim("c-all").numbers.configurations, 2);
  });

  it(
    "claims without evidence are 'not assessed' with the parts' reasons; several pieces " + "without combine is a bug",
    () => {
      const entries = assessFromParts({ "c-b": onlyB }, [{ figures: [], unassessed: { "c-b": "training diverged" } }]);
      assert.equal(entries[0].verdict, "not assessed");
      assert.equal(entries[0].detail, "training diverged");
      assert.throws(
        () =>
          assessFromParts({ "c-b": onlyB }, [
            { figures: [], evidence: { "c-b": 1 } },
            { figures: [], evidence: { "c-b": 2 } },
          ]),
        /claim c-b is fed by 2 parts but declares no combine\(\)/,
      );
      // a misspelt evidence or unassessed key names no claim: refused, instead of leaving c-b silently unjudged
      assert.throws(
        () => assessFromParts({ "c-b": onlyB }, [{ figures: [], evidence: { "c-bb": 1 } }]),
        /evidence for "c-bb", which is not a declared claim; declared: c-b/,
      );
      assert.throws(
        () => assessFromParts({ "c-b": onlyB }, [{ figures: [], unassessed: { cb: "why" } }]),
        /evidence for "cb", which is not a declared claim/,
      );
    },
  );

  it("a part that reads an option it does not declare fails (its cache key would miss it)", async () => {
    const s2: ExperimentDefinition<ToyOptions> = { ...study, name: "toy-sneaky", parts: [sneaky] };
    await assert.rejects(
      () => runExperiment(s2, { cache: false }),
      /toy-sneaky\/figS read option "b", which it does not declare in `reads`/,
    );
  });

  it("shared tasks (training runs several figures use) are computed once per study run, also when forced", async () => {
    const dir = tmp();
    const task = (x: number) => ({ module: __filename, fn: "countedTask", args: x });
    const P = part({
      id: "figP",
      title: "Fig. P",
      reads: ["a"],
      async run(o) {
        const v = await mapTasks<number>([1, 2].map(task), { workers: 1, shared: true });
        return { figures: [], summary: { p: v.join(",") + o.a } };
      },
    });
    const Q = part({
      id: "figQ",
      title: "Fig. Q",
      reads: ["b"],
      async run(o) {
        const v = await mapTasks<number>([2, 3].map(task), { workers: 1, shared: true });
        return { figures: [], summary: { q: v.join(",") + o.b } };
      },
    });
    const s3: ExperimentDefinition<ToyOptions> = { ...study, name: "toy-shared", parts: [P, Q] };
    try {
      taskCalls.length = 0;
      const r = await runExperiment(s3, { cacheDir: dir });
      assert.deepEqual(r.summary, { p: "1,42", q: "4,91" });
      assert.deepEqual(taskCalls, [1, 2, 3], "task 2 is shared by both figures and computed once");
      taskCalls.length = 0;
      await runExperiment(s3, { cacheDir: dir, force: true });
      assert.deepEqual(taskCalls, [1, 2, 3], "a forced run recomputes every task, each once");
      taskCalls.length = 0;
      await runPart(s3, "figQ", { cacheDir: dir, b: 5 });
      assert.deepEqual(taskCalls, [], "a new figure entry restores the stored tasks");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
