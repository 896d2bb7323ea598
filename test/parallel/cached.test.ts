/** rs.cached: users' own computations cached on disk, keyed by name, options and the function's text. */
import { it } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cached, readCache, writeCache, cacheFile } from "../../src/cache";

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

it("an edited entry that still decodes is caught by its checksum, reported with its key (default log: stderr)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-cached-"));
  try {
    let calls = 0;
    const f = () => {
      calls++;
      return "aaaa";
    };
    assert.equal(await cached("edit", {}, f, { cacheDir: dir }), "aaaa");
    const [sub] = fs.readdirSync(dir);
    const [name] = fs.readdirSync(path.join(dir, sub));
    const file = path.join(dir, sub, name);
    const key = name.replace(/\.v8$/, "");
    assert.equal(sub, key.slice(0, 2));
    // 32 bytes of sha256, then V8's serialisation, which ends with the string's bytes: "aaaa" becomes "aaab"
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(-4).toString("latin1"), "aaaa");
    bytes[bytes.length - 1] = "b".charCodeAt(0);
    fs.writeFileSync(file, bytes);
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => {
      said.push(s);
      return true;
    }) as typeof process.stderr.write;
    let again: string;
    try {
      again = await cached("edit", {}, f, { cacheDir: dir });
    } finally {
      process.stderr.write = write;
    }
    assert.equal(again, "aaaa", "recomputed, not the edited value");
    assert.equal(calls, 2);
    assert.deepEqual(said, [
      `rankscope: cached("edit"): entry ${key.slice(0, 12)}… is unreadable ` +
        "(checksum mismatch (truncated or edited)); recomputing\n",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("cached refuses a name, options or function of the wrong kind before any work, saying what it got", async () => {
  const never = () => assert.fail("computed");
  const refusals: [unknown, unknown, unknown, string][] = [
    ["", {}, never, 'cached: name must be a non-empty string; got ""'],
    ["  ", {}, never, 'cached: name must be a non-empty string; got "  "'],
    [42, {}, never, "cached: name must be a non-empty string; got 42"],
    ["x", null, never, "cached: options must be an object (the inputs that identify the computation); got null"],
    ["x", 5, never, "cached: options must be an object (the inputs that identify the computation); got 5"],
    ["x", {}, 42, "cached: the third argument must be the function that computes the value"],
  ];
  for (const [name, options, fn, message] of refusals)
    await assert.rejects(cached(name as string, options as object, fn as () => unknown), { message });
});

it("readCache: miss, hit, and each way an entry is corrupt, with its reason", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-read-"));
  try {
    const [k1, k2, k3] = ["a", "b", "c"].map((c) => c.repeat(64));
    assert.deepEqual(readCache(k1, dir), { status: "miss" });
    const file = writeCache(k1, { x: [1, 2] }, dir);
    assert.equal(file, path.join(dir, "aa", `${k1}.json`));
    assert.equal(cacheFile(k1, dir), file);
    assert.deepEqual(readCache(k1, dir), { status: "hit", value: { x: [1, 2] } });
    // the header: { key, sha256 of the payload, created }, then the payload
    const [header, payload] = fs.readFileSync(file, "utf8").split("\n");
    assert.deepEqual(Object.keys(JSON.parse(header)), ["key", "sha256", "created"]);
    assert.equal(JSON.parse(header).sha256, crypto.createHash("sha256").update(payload).digest("hex"));
    assert.equal(payload, '{"x":[1,2]}');
    // the shape check: a problem found makes the entry corrupt, none a hit
    assert.deepEqual(
      readCache(k1, dir, () => "no y"),
      {
        status: "corrupt",
        reason: "content of the wrong shape: no y",
      },
    );
    assert.deepEqual(
      readCache(k1, dir, () => undefined),
      { status: "hit", value: { x: [1, 2] } },
    );
    const mismatch = { status: "corrupt", reason: "checksum mismatch (truncated or edited)" };
    // an entry copied to another key's file
    fs.mkdirSync(path.join(dir, "bb"));
    fs.copyFileSync(file, cacheFile(k2, dir));
    assert.deepEqual(readCache(k2, dir), mismatch);
    // the payload edited
    fs.writeFileSync(file, `${header}\n{"x":[1,3]}`);
    assert.deepEqual(readCache(k1, dir), mismatch);
    // no header line; an empty header line; a header that is not JSON
    fs.mkdirSync(path.join(dir, "cc"));
    const k3file = cacheFile(k3, dir);
    fs.writeFileSync(k3file, '{"x":1}');
    assert.deepEqual(readCache(k3, dir), { status: "corrupt", reason: "no header line" });
    const parseError = (text: string) => {
      try {
        JSON.parse(text);
      } catch (err) {
        return (err as Error).message;
      }
      return assert.fail("parsed");
    };
    fs.writeFileSync(k3file, '\n{"x":1}');
    assert.deepEqual(readCache(k3, dir), { status: "corrupt", reason: parseError("") });
    fs.writeFileSync(k3file, '{key\n{"x":1}');
    assert.deepEqual(readCache(k3, dir), { status: "corrupt", reason: parseError("{key") });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
