/**
 * What the cache keys are made of, each against a value written out here: the canonical encoding of options (the
 * text its documentation gives for each kind of value), the package version read from the right package.json, the
 * code hash as documented (sha256 over the compiled files in path order), the setCodeHash format and the default
 * cache folder.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { canonicalJson, codeHash, defaultCacheDir, packageVersion, setCodeHash } from "../../src/cache";

const PLAIN_DATA =
  "numbers (NaN and ±Infinity included), strings, booleans, null, undefined, BigInts, arrays, plain objects, " +
  "Dates, Maps, Sets, RegExps, typed arrays and ArrayBuffers";

describe("canonicalJson: the documented text of every kind of value", () => {
  it("scalars: JSON where JSON is exact, NaN, ±Infinity, -0, undefined, booleans, null and BigInts written out", () => {
    const cases: [unknown, string][] = [
      [undefined, "undefined"],
      [true, "true"],
      [false, "false"],
      [null, "null"],
      ['a"b', '"a\\"b"'],
      [12n, "12n"],
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [-Infinity, "-Infinity"],
      [-0, "-0"],
      [0, "0"],
      [1.5, "1.5"],
      [1e-300, "1e-300"],
    ];
    for (const [v, text] of cases) assert.equal(canonicalJson(v), text, String(v));
  });

  it("containers: arrays, typed arrays, ArrayBuffers, DataViews, Dates, RegExps, Maps and Sets", () => {
    const bytes = Uint8Array.from([9, 1, 2, 9]);
    const cases: [unknown, string][] = [
      [[1, undefined, null, "x"], '[1,undefined,null,"x"]'],
      [Float32Array.from([1.5, -0, 2]), "Float32Array[1.5,-0,2]"],
      [BigInt64Array.from([3n, -4n]), "BigInt64Array[3n,-4n]"],
      [bytes.buffer, "ArrayBuffer[9,1,2,9]"],
      // a view of bytes 1..2 of the buffer: only its own bytes
      [new DataView(bytes.buffer, 1, 2), "DataView[1,2]"],
      [new Date(5), "Date(5)"],
      [new Date(NaN), "Date(NaN)"],
      [/a+"/gi, 'RegExp("a+\\"","gi")'],
      // Maps and Sets: entries sorted by their text, whatever the insertion order
      [
        new Map<unknown, unknown>([
          ["b", 2],
          ["a", [1]],
        ]),
        'Map{"a"=>[1],"b"=>2}',
      ],
      [new Set([3, 1, 2]), "Set{1,2,3}"],
    ];
    for (const [v, text] of cases) assert.equal(canonicalJson(v), text, text);
  });

  it("objects: keys sorted, undefined values left out, objects without a prototype too, a value met twice is no cycle", () => {
    assert.equal(canonicalJson({ b: 1, a: undefined, c: { e: 2, d: 1 } }), '{"b":1,"c":{"d":1,"e":2}}');
    assert.equal(canonicalJson({ a: undefined }), canonicalJson({}));
    const bare = Object.assign(Object.create(null) as object, { y: 2, x: 1 });
    assert.equal(canonicalJson(bare), '{"x":1,"y":2}');
    const shared = [1];
    assert.equal(canonicalJson({ x: shared, y: [shared, shared] }), '{"x":[1],"y":[[1],[1]]}');
  });

  it("values without a stable encoding are refused, naming where they are and what may be passed", () => {
    const fn = () => 1;
    const refusals: [unknown, string | undefined, string][] = [
      [fn, undefined, `options is a function, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`],
      [
        { a: [Symbol("s")] },
        "opts",
        `opts.a[0] is a symbol, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
      [
        new Map<unknown, unknown>([[fn, 1]]),
        "m",
        `m key 0 is a function, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
      [
        new Map<unknown, unknown>([
          [1, 1],
          [2, fn],
        ]),
        "m",
        `m.get(…1) is a function, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
      [
        new Set([1, fn]),
        "s",
        `s element 1 is a function, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
      [
        { u: new URL("http://x/") },
        "o",
        `o.u is a URL instance, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
      // a prototype without a constructor
      [
        Object.create(Object.create(null) as object),
        "o",
        `o is a class instance, which has no stable encoding for a cache key; pass ${PLAIN_DATA}`,
      ],
    ];
    for (const [v, where, message] of refusals) assert.throws(() => canonicalJson(v, where), { message });
    const cyc: unknown[] = [];
    cyc.push([cyc]);
    assert.throws(() => canonicalJson(cyc, "c"), {
      message: "c[0][0] refers back to itself (a cycle); pass data without cycles",
    });
  });
});

/** A copy of the compiled cache module (and the util modules it loads) under `root`/dist/src. */
function copyCacheModule(root: string): typeof import("../../src/cache") {
  const lib = path.join(root, "dist", "src");
  for (const sub of ["cache", "util"])
    fs.cpSync(path.resolve(__dirname, "../../src", sub), path.join(lib, sub), { recursive: true });
  return require(path.join(lib, "cache", "index.js")) as typeof import("../../src/cache");
}

describe("the version and the code hash in the keys", () => {
  it("packageVersion reads rankscope's package.json two or three folders up, skips another package's, else 0.0.0", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-version-"));
    try {
      const copy = copyCacheModule(root);
      const write = (rel: string, pkg: object) => fs.writeFileSync(path.join(root, rel), JSON.stringify(pkg));
      assert.equal(copy.packageVersion(), "0.0.0", "no package.json");
      write("package.json", { name: "rankscope", version: "7.7.7" });
      assert.equal(copy.packageVersion(), "7.7.7");
      // dist/package.json is looked at first, but belongs to another package
      write("dist/package.json", { name: "other", version: "1.0.0" });
      assert.equal(copy.packageVersion(), "7.7.7");
      write("dist/package.json", { name: "rankscope", version: "2.0.0" });
      assert.equal(copy.packageVersion(), "2.0.0");
      // this build's own version is the one in the repository's package.json
      const own = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8"));
      assert.equal(packageVersion(), own.version);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("codeHash is the first 16 hex digits of sha256 over every .js file of dist/src (path, content) in path order", () => {
    /** The documented hash of the library under `lib`, computed here. */
    const expected = (lib: string) => {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d)) {
          const f = path.join(d, e);
          if (fs.statSync(f).isDirectory()) walk(f);
          else if (e.endsWith(".js")) files.push(path.relative(lib, f));
        }
      };
      walk(lib);
      files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const h = crypto.createHash("sha256");
      for (const f of files)
        h.update(`${f}\0`)
          .update(fs.readFileSync(path.join(lib, f)))
          .update("\0");
      return h.digest("hex").slice(0, 16);
    };
    setCodeHash();
    try {
      assert.equal(codeHash(), expected(path.resolve(__dirname, "../../src")), "this build");
    } finally {
      setCodeHash();
    }
    // a library where walking the folders (x/ before x-y.js) and path order ("x-y.js" < "x/b.js") differ
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-codehash-"));
    try {
      const copy = copyCacheModule(root);
      const lib = path.join(root, "dist", "src");
      fs.mkdirSync(path.join(lib, "x"));
      fs.writeFileSync(path.join(lib, "x", "b.js"), "// b\n");
      fs.writeFileSync(path.join(lib, "x-y.js"), "// x-y\n");
      assert.equal(copy.codeHash(), expected(lib), "a copy with x/b.js and x-y.js");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("setCodeHash takes exactly 16 lower-case hex digits", () => {
    try {
      for (const bad of ["0123456789abcdef0", "x0123456789abcdef", "0123456789abcdeF", "0123456789abcde", ""])
        assert.throws(() => setCodeHash(bad), {
          message: `setCodeHash: the hash must be 16 lower-case hex digits; got ${JSON.stringify(bad)}`,
        });
      setCodeHash("0123456789abcdef");
      assert.equal(codeHash(), "0123456789abcdef");
    } finally {
      setCodeHash();
    }
  });
});

describe("the cache folder", () => {
  it("is RANKSCOPE_CACHE_DIR when set, else .rankscope-cache in the working directory", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-cwd-"));
    try {
      const script = `process.stdout.write(require(${JSON.stringify(path.resolve(__dirname, "../../src/cache"))}).defaultCacheDir())`;
      const env = { ...process.env };
      delete env.RANKSCOPE_CACHE_DIR;
      const unset = spawnSync(process.execPath, ["-e", script], { cwd, env, encoding: "utf8" });
      assert.equal(unset.status, 0, unset.stderr);
      assert.equal(unset.stdout, path.join(fs.realpathSync(cwd), ".rankscope-cache"));
      const mine = path.join(cwd, "mine");
      const set = spawnSync(process.execPath, ["-e", script], {
        cwd,
        env: { ...env, RANKSCOPE_CACHE_DIR: mine },
        encoding: "utf8",
      });
      assert.equal(set.status, 0, set.stderr);
      assert.equal(set.stdout, mine);
      // in this process, the same rule
      const expected = process.env.RANKSCOPE_CACHE_DIR || path.join(process.cwd(), ".rankscope-cache");
      assert.equal(defaultCacheDir(), expected);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
