/**
 * One definition per study (src/experiments/define.ts): everything that lists the studies is derived from the
 * definitions in registry.ts, and nothing can be forgotten when a study is added (docs/adding-a-study.md).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as rs from "../../src";
import { STUDIES, findStudy } from "../../src/experiments/registry";
import { defineStudy } from "../../src/experiments/define";
import { definePart } from "../../src/experiments/parts";
import { int, str } from "../../src/util/options";

const root = path.resolve(__dirname, "../../..");
const experiments = path.join(root, "src", "experiments");

describe("the studies' one definition", () => {
  it("every study folder under src/experiments (an index.ts and a claims.ts) is in the registry, and no other", () => {
    const folders = fs
      .readdirSync(experiments, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .filter((d) => fs.existsSync(path.join(experiments, d, "index.ts")))
      .sort();
    assert.ok(folders.length >= 5, `found ${folders.join(", ")}`);
    for (const f of folders)
      assert.ok(fs.existsSync(path.join(experiments, f, "claims.ts")), `${f} has no claims.ts (its ledger)`);
    assert.deepEqual(STUDIES.map((s) => s.name).sort(), folders);
  });

  it("each study's namespace is the package's, its calls are its parts, its notebook and paper exist", () => {
    const names = new Set<string>();
    for (const s of STUDIES) {
      assert.ok(!names.has(s.namespace), `namespace ${s.namespace} used twice`);
      names.add(s.namespace);
      assert.equal((rs as unknown as Record<string, unknown>)[s.namespace], s.calls, `rs.${s.namespace}`);
      assert.deepEqual(
        Object.keys(s.calls).sort(),
        ["study", ...s.parts.map((p) => p.id), ...Object.keys(s.settings ?? {})].sort(),
        `rs.${s.namespace} holds study, one call per part and the named settings`,
      );
      for (const p of s.parts) assert.equal(s.calls[p.id].id, p.id);
      assert.ok(fs.existsSync(path.join(root, "notebooks", `${s.notebook}.ipynb`)), `notebooks/${s.notebook}.ipynb`);
      // the papers sit beside the checkout on these machines (../shared/papers); a clone elsewhere has none
      const papers = path.join(root, "..", "shared", "papers");
      if (fs.existsSync(papers)) assert.ok(fs.existsSync(path.join(papers, s.paper)), `${papers}/${s.paper}`);
      assert.equal(s.title, `${s.shortTitle} (${s.authors})`);
      assert.equal(findStudy(s.name), s);
      assert.equal(findStudy(s.namespace), s);
      // every option has a rule: a value of the wrong type is refused for each one, naming it
      for (const k of Object.keys(s.defaults))
        assert.throws(
          () => s.validate({ ...s.defaults, [k]: Symbol("wrong") }),
          new RegExp(`: ${s.name}: option ${k} must be `),
          `${s.name}.${k} has no rule refusing a symbol`,
        );
      s.validate({ ...s.defaults, ...s.presets.quick });
      s.validate({ ...s.defaults });
    }
    assert.equal(findStudy("nobody"), undefined);
  });

  it("defineStudy refuses an option without a rule, a rule without an option and a part under another name", () => {
    type O = { n: number; label: string };
    const part = definePart<O>()({ id: "figA", title: "A", reads: ["n"], run: async () => ({ figures: [] }) });
    const base = {
      name: "toy-define",
      namespace: "toyDefine",
      title: "toy",
      authors: "nobody 2026",
      paper: "-",
      notebook: "-",
      defaults: { n: 1, label: "a" } as O,
      presets: { quick: {}, paper: {} },
      claims: {},
    };
    assert.throws(
      // @ts-expect-error: label has no rule (the compiler refuses it too)
      () => defineStudy({ ...base, rules: { n: int(1) }, parts: { figA: part } }),
      /toy-define: option label has no rule/,
    );
    assert.throws(
      () =>
        defineStudy({
          ...base,
          rules: { n: int(1), label: str, nn: int(1) } as never,
          parts: { figA: part },
        }),
      /rule for nn, which is not an option/,
    );
    assert.throws(
      () => defineStudy({ ...base, rules: { n: int(1), label: str }, parts: { figB: part } }),
      /part "figA" is listed as "figB"/,
    );
    const ok = defineStudy({
      ...base,
      rules: { n: int(1), label: str },
      check: (o) => {
        if (o.label === "bad") throw new rs.OptionError("toy-define: option label must not be bad");
      },
      parts: { figA: part },
    });
    assert.equal(ok.title, "toy (nobody 2026)");
    assert.deepEqual(ok.parts, [part]);
    assert.throws(() => ok.validate({ n: 0, label: "a" }), /toy-define: option n must be an integer ≥ 1; got 0$/);
    assert.throws(() => ok.validate({ n: 1, label: "bad" }), /must not be bad/);
    assert.doesNotThrow(() => ok.validate({ n: 1, label: "a" }));
  });
});
