/** rs.cached: users' own computations cached on disk, keyed by name, options and the function's text. */
import { it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cached } from "../../src/cache";

it(
  "cached returns the stored value without recomputing, and recomputes for other options, " +
    "another function, force or a corrupt entry",
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-cached-"));
    const logs: string[] = [];
    const c = { cacheDir: dir, log: (s: string) => logs.push(s) };
    let calls = 0;
    const f = () => {
      calls++;
      return { v: Float64Array.from([1.5, -0, Infinity]), n: 3, m: new Map([["a", [1, 2]]]) };
    };
    const a = await cached("sweep", { w: 2 }, f, c);
    const b = await cached("sweep", { w: 2 }, f, c);
    assert.equal(calls, 1, "second call served from disk");
    assert.ok(b.v instanceof Float64Array);
    assert.deepEqual(Array.from(b.v), Array.from(a.v));
    assert.ok(Object.is(b.v[1], -0));
    assert.deepEqual(b.m.get("a"), [1, 2]);
    await cached("sweep", { w: 3 }, f, c);
    assert.equal(calls, 2, "other options");
    const g = () => {
      calls++;
      return { v: new Float64Array(1), n: 0, m: new Map() };
    };
    const other = await cached("sweep", { w: 2 }, g, c);
    assert.equal(calls, 3, "another function body");
    assert.equal(other.n, 0);
    await cached("sweep", { w: 2 }, f, { ...c, force: true });
    assert.equal(calls, 4, "force");
    // truncate every entry: each is reported and recomputed
    for (const sub of fs.readdirSync(dir))
      for (const e of fs.readdirSync(path.join(dir, sub))) fs.truncateSync(path.join(dir, sub, e), 40);
    const again = await cached("sweep", { w: 2 }, f, c);
    assert.equal(calls, 5);
    assert.equal(again.n, 3);
    assert.ok(
      logs.some((l) => /unreadable .*recomputing/.test(l)),
      logs.join("\n"),
    );
    await assert.rejects(cached("", {}, f, c), /name must be a non-empty string/);
    await assert.rejects(
      cached("x", {}, f, { ...c, forse: true } as never),
      /cached: unknown option "forse"; allowed: force, cacheDir, log/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  },
);

it("a value that cannot be stored is reported and still returned", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-cached-")), "not-a-dir");
  fs.writeFileSync(file, "x");
  const logs: string[] = [];
  const v = await cached("x", {}, () => 42, { cacheDir: file, log: (s) => logs.push(s) });
  assert.equal(v, 42);
  assert.ok(
    logs.some((l) => /could not store the value/.test(l)),
    logs.join("\n"),
  );
});
